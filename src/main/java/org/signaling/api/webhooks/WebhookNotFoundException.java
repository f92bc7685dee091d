package org.signaling.api.webhooks;

import java.util.regex.Pattern;

import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/** No such subscription, or no such delivery of it: 404. The id is repeated only when it has the id grammar. */
public class WebhookNotFoundException extends ErrorResponseException {

	private static final Pattern ID = Pattern.compile("(wh|dlv)-[0-9a-f]{32}");

	public WebhookNotFoundException(String what, String id) {
		super(ProblemType.WEBHOOK_NOT_FOUND.status(), Problems.of(ProblemType.WEBHOOK_NOT_FOUND,
				what + " not found" + (ID.matcher(id).matches() ? ": " + id : "")), null);
	}

}
