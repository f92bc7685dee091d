package org.signaling.api.asterisk;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
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
 * @param nodes several Asterisk servers instead of the one {@code host}: each with its own {@code host} and
 * optionally {@code port}, {@code name} (default {@code host:port}; recorded with each call, so keep it stable when
 * an address changes), {@code username} and {@code password} (default: the ones above). A new call goes to a
 * connected node; its hang-up goes to the node that placed it.
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
		@DefaultValue("1") @Min(1) @Max(99_999) int originatePriority, @Nullable List<@Valid Node> nodes) {

	public AsteriskProperties {
		nodes = (nodes == null) ? List.of() : List.copyOf(nodes);
	}

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

	/** A node's name as recorded with its calls (the default, host:port, fits it too). */
	private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]{1,100}");

	/** A dialplan context name (Asterisk keeps at most 79 characters). */
	private static final Pattern CONTEXT = Pattern.compile("[A-Za-z0-9_.-]{1,79}");

	/** Whether a host or nodes are set, i.e. whether the service should connect to Asterisk at all. */
	public boolean isConfigured() {
		return hasText(host) || !nodes.isEmpty();
	}

	/** {@code host:port} as shown in health details and logs; "" when no single host is set. */
	public String server() {
		String configured = host;
		return (configured == null || configured.isBlank()) ? "" : configured.strip() + ":" + port;
	}

	/**
	 * The Asterisk servers to keep a session with, by node name, in configuration order, each as the properties of
	 * a single host: the {@code nodes}, or the one {@code host} (named {@code host:port}); empty when not configured.
	 */
	public Map<String, AsteriskProperties> nodeSettings() {
		Map<String, AsteriskProperties> settings = new LinkedHashMap<>();
		if (hasText(host)) {
			settings.put(server(), this);
		}
		for (Node node : nodes) {
			AsteriskProperties single = new AsteriskProperties(node.host(), node.port(),
					hasText(node.username()) ? node.username() : username,
					(node.password() != null && !node.password().isEmpty()) ? node.password() : password,
					connectTimeout, responseTimeout, pingInterval, reconnectInitialBackoff, reconnectMaxBackoff,
					agentChannel, originateContext, originatePriority, List.of());
			settings.put(node.nameOrServer(), single);
		}
		return settings;
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
		return !hasText(host) || hasCredentials(username, password);
	}

	@AssertTrue(message = "signaling.asterisk: set either host or nodes, not both; every node needs a host, a "
			+ "username and a password (its own or signaling.asterisk.username/password), and a unique name of at "
			+ "most 100 letters, digits and _ . : [ ] -")
	boolean isNodesConsistent() {
		if (nodes.isEmpty()) {
			return true;
		}
		if (hasText(host)) {
			return false;
		}
		Set<String> names = new HashSet<>();
		for (Node node : nodes) {
			if (node == null || !hasText(node.host()) || !names.add(node.nameOrServer())
					|| !NODE_NAME.matcher(node.nameOrServer()).matches()) {
				return false;
			}
			String user = hasText(node.username()) ? node.username() : username;
			String secret = (node.password() != null && !node.password().isEmpty()) ? node.password() : password;
			if (!hasCredentials(user, secret)) {
				return false;
			}
		}
		return true;
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
				+ ", nodes=" + nodes + "]";
	}

	private static boolean hasCredentials(@Nullable String user, @Nullable String secret) {
		return hasText(user) && secret != null && !secret.isEmpty();
	}

	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	/**
	 * One Asterisk server of {@code signaling.asterisk.nodes}.
	 *
	 * @param name how calls record it; default {@code host:port}
	 * @param host its AMI host
	 * @param port its AMI port
	 * @param username its AMI user; default {@code signaling.asterisk.username}
	 * @param password that user's secret; default {@code signaling.asterisk.password}; never logged nor shown
	 */
	public record Node(@Nullable String name, @Nullable String host, @DefaultValue("5038") @Min(1) @Max(65535) int port,
			@Nullable String username, @Nullable String password) {

		/** The name calls record: the given one, or {@code host:port}. */
		public String nameOrServer() {
			return hasText(name) ? name.strip() : ((host == null) ? "" : host.strip()) + ":" + port;
		}

		@Override
		public String toString() {
			return "Node[name=" + name + ", host=" + host + ", port=" + port + ", username=" + username
					+ ", password=" + (password == null ? "null" : "******") + "]";
		}

	}

}
