package org.signaling.api.kamailio.internal;

import org.jspecify.annotations.Nullable;

/** A JSON-RPC call to Kamailio that gave no result. Never leaves the kamailio module. */
class KamailioRpcException extends RuntimeException {

	private final Kind kind;

	private final @Nullable Integer faultCode;

	private KamailioRpcException(Kind kind, @Nullable Integer faultCode, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.faultCode = faultCode;
	}

	/** No answer: connection refused, timed out, reset. */
	static KamailioRpcException unreachable(String method, Throwable cause) {
		return new KamailioRpcException(Kind.UNREACHABLE, null,
				method + ": Kamailio unreachable (" + cause.getClass().getSimpleName() + ")", cause);
	}

	/** Kamailio answered with an {@code error} member, e.g. 500 "AOR not found in location table". */
	static KamailioRpcException fault(String method, int code, String message) {
		return new KamailioRpcException(Kind.FAULT, code, method + ": Kamailio error " + code + " " + message, null);
	}

	/** Kamailio (or whatever answered) sent something that is not a JSON-RPC response. */
	static KamailioRpcException protocol(String method, String problem) {
		return new KamailioRpcException(Kind.PROTOCOL, null, method + ": unusable answer (" + problem + ")", null);
	}

	Kind kind() {
		return kind;
	}

	@Nullable Integer faultCode() {
		return faultCode;
	}

	enum Kind {

		UNREACHABLE, FAULT, PROTOCOL

	}

}
