-- wrk script: POST one JSON-RPC dlg.list to Kamailio per request (the call the API's live view makes once a second).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"jsonrpc":"2.0","method":"dlg.list","id":1}'
