package org.signaling.api.call;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.calls.*}.
 *
 * @param defaultRingTimeout how long the agent's phone rings when a make request gives no {@code timeout}
 * @param maxRingTimeout the largest {@code timeout} a make request may ask for
 * @param idempotencyWindow how long an Idempotency-Key replays its call instead of dialing again
 * @param reconcileInterval how often live calls are compared with Asterisk's channels and Kamailio's dialogs
 * @param reconcileGrace a call younger than this is not ended by reconciliation (Asterisk may not have created its
 * first channel yet)
 * @param originator what places calls: {@code asterisk} (AMI Originate, the default) or {@code kamailio} (Kamailio's
 * {@code dlg.bridge_dlg} click-to-dial, no PBX)
 * @param historyRetention how long ended calls are kept (the call history, and API calls with their
 * Idempotency-Keys), and how long an event subject (a call, a DN) without any event keeps its sequence; older ones
 * are deleted in batches, once an hour
 * @param hangupTimeout how long a hang-up of a call Kamailio carries waits for each party to answer its BYE; a party
 * that did not is named in the answer ({@code legs})
 */
@Validated
@ConfigurationProperties("signaling.calls")
public record CallsProperties(@DefaultValue("30s") @NotNull Duration defaultRingTimeout,
		@DefaultValue("120s") @NotNull Duration maxRingTimeout,
		@DefaultValue("24h") @NotNull Duration idempotencyWindow,
		@DefaultValue("5s") @NotNull Duration reconcileInterval, @DefaultValue("10s") @NotNull Duration reconcileGrace,
		@DefaultValue(CallOriginator.ASTERISK) @NotNull @Pattern(regexp = "asterisk|kamailio",
				message = "must be asterisk or kamailio") String originator,
		@DefaultValue("90d") @NotNull Duration historyRetention, @DefaultValue("5s") @NotNull Duration hangupTimeout) {

	@AssertTrue(message = "default-ring-timeout must be between 1s and max-ring-timeout")
	public boolean isDefaultRingTimeoutInRange() {
		return defaultRingTimeout == null || maxRingTimeout == null
				|| (defaultRingTimeout.toSeconds() >= 1 && defaultRingTimeout.compareTo(maxRingTimeout) <= 0);
	}

	@AssertTrue(message = "hangup-timeout must be between 100ms and 60s")
	public boolean isHangupTimeoutInRange() {
		return hangupTimeout == null || (hangupTimeout.toMillis() >= 100 && hangupTimeout.toSeconds() <= 60);
	}

	@AssertTrue(message = "history-retention must be positive")
	public boolean isHistoryRetentionPositive() {
		return historyRetention == null || (!historyRetention.isNegative() && !historyRetention.isZero());
	}

	@AssertTrue(message = "idempotency-window, reconcile-interval and reconcile-grace must be positive")
	public boolean isDurationsPositive() {
		return idempotencyWindow == null || reconcileInterval == null || reconcileGrace == null
				|| (!idempotencyWindow.isNegative() && !idempotencyWindow.isZero() && !reconcileInterval.isNegative()
						&& !reconcileInterval.isZero() && !reconcileGrace.isNegative());
	}

}
