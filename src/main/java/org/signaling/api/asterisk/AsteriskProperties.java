package org.signaling.api.asterisk;

import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.asterisk.*}: where and how to reach Asterisk's manager interface (AMI), and how click-to-dial
 * originates are built.
 *
 * @param host AMI host. Absent or blank: Asterisk is not configured, no connection is attempted and its health
 * reports NOT_CONFIGURED
 * @param port AMI TCP port
 * @param username AMI user ({@code manager.conf} section name); required when {@code host} is set
 * @param password that user's secret; required when {@code host} is set; never logged nor shown
 * @param connectTimeout TCP connect timeout of each connection attempt
 * @param responseTimeout how long to wait for the answer to an action, login steps included
 * @param pingInterval how often an AMI {@code Ping} keeps the session alive; the socket read timeout is twice this,
 * so a peer that has silently gone away is noticed within about two intervals
 * @param reconnectInitialBackoff wait after the first failed initial login; doubled after each further failure
 * @param reconnectMaxBackoff upper bound of that wait
 * @param agentChannel the dial string of an agent's leg, with {@code {dn}} where the agent's DN goes (Originate
 * {@code Channel}); e.g. {@code PJSIP/{dn}@kamailio}
 * @param originateContext the dialplan context an answered agent leg continues in, at the destination as extension
 * @param originatePriority the priority in that context
 */
@Validated
@ConfigurationProperties("signaling.asterisk")
public record AsteriskProperties(@Nullable String host, @DefaultValue("5038") @Min(1) @Max(65535) int port,
		@Nullable String username, @Nullable String password, @DefaultValue("5s") @NotNull Duration connectTimeout,
		@DefaultValue("2s") @NotNull Duration responseTimeout, @DefaultValue("20s") @NotNull Duration pingInterval,
		@DefaultValue("1s") @NotNull Duration reconnectInitialBackoff,
		@DefaultValue("30s") @NotNull Duration reconnectMaxBackoff,
		@DefaultValue(DEFAULT_AGENT_CHANNEL) @NotNull String agentChannel,
		@DefaultValue("click-to-dial") @NotNull String originateContext,
		@DefaultValue("1") @Min(1) @Max(99_999) int originatePriority) {

	/** Longest accepted {@code ping-interval}: twice it must still fit the socket read timeout (an int of ms). */
	static final Duration MAX_PING_INTERVAL = Duration.ofHours(1);

	/** Where the agent's DN goes in {@code agent-channel}. */
	public static final String DN_PLACEHOLDER = "{dn}";

	static final String DEFAULT_AGENT_CHANNEL = "PJSIP/{dn}@kamailio";


	/**
	 * A dial string once {@code {dn}} is filled in: {@code Tech/resource}, where the resource may name an endpoint, a
	 * URI or a context ({@code PJSIP/5001@kamailio}, {@code PJSIP/kamailio/sip:5001@10.0.0.1:5060},
	 * {@code Local/5001@agents}). No blanks, commas, ampersands, semicolons, quotes or braces, so the template can
	 * neither add targets nor options. The slash-led regex form is impossible (the technology comes first).
	 */
	private static final Pattern CHANNEL = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}/[A-Za-z0-9_.@:/+-]{1,200}");

	/** A dialplan context name (Asterisk keeps at most 79 characters). */
	private static final Pattern CONTEXT = Pattern.compile("[A-Za-z0-9_.-]{1,79}");

	/** Whether a host is set, i.e. whether the service should connect to Asterisk at all. */
	public boolean isConfigured() {
		return host != null && !host.isBlank();
	}

	/** {@code host:port} as shown in health details and logs; "" when not configured. */
	public String server() {
		String configured = host;
		return (configured == null || configured.isBlank()) ? "" : configured.strip() + ":" + port;
	}

	/** The agent leg's dial string for one DN; the DN must already be validated. */
	public String agentChannelFor(String dn) {
		return agentChannel.replace(DN_PLACEHOLDER, dn);
	}

	/**
	 * Whether a dial string (a filled-in {@code agent-channel}) has the safe shape {@code Tech/resource}; used for
	 * the template here and again for every filled-in value before it is sent.
	 */
	public static boolean isSafeChannel(String channel) {
		return CHANNEL.matcher(channel).matches();
	}

	@AssertTrue(message = "signaling.asterisk.username and signaling.asterisk.password are required when "
			+ "signaling.asterisk.host is set (leave host empty to run without Asterisk)")
	boolean isCredentialsGivenWhenConfigured() {
		return !isConfigured() || (hasText(username) && password != null && !password.isEmpty());
	}

	@AssertTrue(message = "signaling.asterisk timeouts, ping-interval and backoffs must be positive, "
			+ "ping-interval at most 1h, and reconnect-max-backoff not below reconnect-initial-backoff")
	boolean isTimingConsistent() {
		if (connectTimeout == null || responseTimeout == null || pingInterval == null
				|| reconnectInitialBackoff == null || reconnectMaxBackoff == null) {
			return true; // reported by @NotNull
		}
		return isPositive(connectTimeout) && isPositive(responseTimeout) && isPositive(pingInterval)
				&& pingInterval.compareTo(MAX_PING_INTERVAL) <= 0 && isPositive(reconnectInitialBackoff)
				&& reconnectMaxBackoff.compareTo(reconnectInitialBackoff) >= 0;
	}

	@AssertTrue(message = "signaling.asterisk.agent-channel must contain {dn} and otherwise be a plain dial string "
			+ "Tech/resource (letters, digits and _ . @ : / + - only), e.g. PJSIP/{dn}@kamailio")
	boolean isAgentChannelSafe() {
		if (agentChannel == null) {
			return true; // reported by @NotNull
		}
		return agentChannel.contains(DN_PLACEHOLDER) && isSafeChannel(agentChannel.replace(DN_PLACEHOLDER, "0"));
	}

	@AssertTrue(message = "signaling.asterisk.originate-context must be 1 to 79 of letters, digits, _ . -")
	boolean isOriginateContextSafe() {
		return originateContext == null || CONTEXT.matcher(originateContext).matches();
	}

	/** Masks the password, so the properties can be logged. */
	@Override
	public String toString() {
		return "AsteriskProperties[host=" + host + ", port=" + port + ", username=" + username + ", password="
				+ (password == null ? "null" : "******") + ", connectTimeout=" + connectTimeout + ", responseTimeout="
				+ responseTimeout + ", pingInterval=" + pingInterval + ", reconnectInitialBackoff="
				+ reconnectInitialBackoff + ", reconnectMaxBackoff=" + reconnectMaxBackoff + ", agentChannel="
				+ agentChannel + ", originateContext=" + originateContext + ", originatePriority=" + originatePriority
				+ "]";
	}

	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
