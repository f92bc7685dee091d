-- wrk script: POST one JSON-RPC ul.dump to Kamailio per request (the call the API's live view makes once a second).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"jsonrpc":"2.0","method":"ul.dump","id":1}'
