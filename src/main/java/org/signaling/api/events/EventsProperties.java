package org.signaling.api.events;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.events.*}.
 *
 * @param retention how long events stay in the log: a client resuming from an older event gets a {@code reset}
 * @param heartbeat how often an idle event stream gets a comment line, so proxies keep it open
 * @param streamTimeout how long one event stream stays open before the client reconnects (with Last-Event-ID)
 * @param maxStreams event streams open at once; more get 503
 * @param maxStreamsPerCredential event streams one credential (API key, token subject) may hold open at once;
 * more get 429, so one client cannot take every stream
 * @param sendTimeout how long writing one message to a stream may take: a stream whose client stops reading is
 * closed once a write has not finished within it
 */
@Validated
@ConfigurationProperties("signaling.events")
public record EventsProperties(@DefaultValue("7d") @NotNull Duration retention,
		@DefaultValue("15s") @NotNull Duration heartbeat, @DefaultValue("1h") @NotNull Duration streamTimeout,
		@DefaultValue("1000") @Min(1) @Max(100_000) int maxStreams,
		@DefaultValue("20") @Min(1) @Max(100_000) int maxStreamsPerCredential,
		@DefaultValue("10s") @NotNull Duration sendTimeout) {

	@AssertTrue(message = "heartbeat and send-timeout must be positive")
	public boolean isHeartbeatAndSendTimeoutPositive() {
		return heartbeat == null || sendTimeout == null || (positive(heartbeat) && positive(sendTimeout));
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
