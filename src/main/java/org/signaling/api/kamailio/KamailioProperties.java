package org.signaling.api.kamailio;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.kamailio.*}. The names {@code rpc-url}, {@code sip-domain}, {@code refresh-interval} and
 * {@code max-staleness} are a public contract (deployment scripts use them).
 *
 * @param rpcUrl Kamailio's jsonrpcs HTTP endpoint; the lab default is loopback
 * @param sipDomain the domain of {@code sip_uri} when Kamailio stores AoRs without one ({@code use_domain} 0): the
 * address Genesys sends INVITEs to. No default: a wrong value would silently misroute calls.
 * @param refreshInterval pause between two refreshes of the live view (one ul.dump, dlg.list, dispatcher.list each)
 * @param maxStaleness data older than this is not served: endpoints answer 503 "Kamailio unreachable" instead
 * @param connectTimeout TCP connect timeout of one RPC
 * @param readTimeout time to wait for one RPC's answer; Kamailio sends nothing at all for some bad requests
 * @param locationTable the usrloc table ({@code ul.dump} domain) agents register in
 * @param evapiAddress {@code host:port} of Kamailio's evapi push events ({@code [v6]:port} for IPv6); when set, each
 * push refreshes that part of the view at once instead of at the next refresh. Not set or empty: push is off, the
 * view is only polled.
 * @param bridgeContact where Kamailio sends the click-to-dial INVITE of {@code dlg.bridge_dlg} (its outbound proxy:
 * Kamailio itself, so the INVITE is routed like any call to the agent): the {@code bridge_contact} of kamailio.cfg
 * ({@code BRIDGE_CONTACT}). Not set: {@code sip:controller@<sip-domain>} (port 5060).
 * @param fullResyncInterval while push events flow, the view reads only the registrations they name; the whole
 * location table ({@code ul.dump}) is read in the background at this pace, for changes no push named
 * @param rpcUrls the jsonrpcs endpoints of a Kamailio pair (DMQ), in order: every RPC goes to the node that answered
 * last and fails over to the next when it gets no answer; a hang-up goes to the node owning the dialog (node i runs
 * with {@code DLG_H_ID_START=i}, {@code DLG_H_ID_STEP=<nodes>}). Not set: {@code rpc-url} alone.
 * @param evapiAddresses the evapi push events of every node of a pair ({@code host:port} each): a node pushes only
 * the registrations it saved itself. Not set: {@code evapi-address} alone.
 */
@Validated
@ConfigurationProperties("signaling.kamailio")
public record KamailioProperties(@DefaultValue("http://127.0.0.1:5071/RPC") @NotNull URI rpcUrl,
		@NotBlank @Pattern(regexp = "[A-Za-z0-9.:\\[\\]-]+",
				message = "must be a host name or address") String sipDomain,
		@DefaultValue("1s") @NotNull Duration refreshInterval, @DefaultValue("5s") @NotNull Duration maxStaleness,
		@DefaultValue("1s") @NotNull Duration connectTimeout, @DefaultValue("2s") @NotNull Duration readTimeout,
		@DefaultValue("location") @NotBlank String locationTable,
		@Pattern(regexp = "(" + HOST_PORT + ")?", message = "must be host:port") @Nullable String evapiAddress,
		@Pattern(regexp = "sips?:([A-Za-z0-9._-]+@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?"
				+ "(;transport=(udp|tcp|tls))?",
				message = "must be a SIP URI of Kamailio (sip:controller@host:port)") @Nullable String bridgeContact,
		@DefaultValue(DEFAULT_FULL_RESYNC) @NotNull Duration fullResyncInterval, @Nullable List<URI> rpcUrls,
		@Nullable List<@Pattern(regexp = HOST_PORT, message = "must be host:port") String> evapiAddresses) {

	/** An evapi address: {@code host:port}, {@code [v6]:port} for IPv6 (its port's range is checked below). */
	static final String HOST_PORT = "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}";

	/** The default of {@code full-resync-interval}, for the binding and the shorter constructors alike. */
	static final String DEFAULT_FULL_RESYNC = "30s";

	@ConstructorBinding
	public KamailioProperties {
	}

	/** One node ({@code rpc-url} alone). */
	public KamailioProperties(URI rpcUrl, String sipDomain, Duration refreshInterval, Duration maxStaleness,
			Duration connectTimeout, Duration readTimeout, String locationTable, @Nullable String evapiAddress,
			@Nullable String bridgeContact, Duration fullResyncInterval) {
		this(rpcUrl, sipDomain, refreshInterval, maxStaleness, connectTimeout, readTimeout, locationTable,
				evapiAddress, bridgeContact, fullResyncInterval, null, null);
	}

	/** Without push events ({@code evapi-address} not set). */
	public KamailioProperties(URI rpcUrl, String sipDomain, Duration refreshInterval, Duration maxStaleness,
			Duration connectTimeout, Duration readTimeout, String locationTable) {
		this(rpcUrl, sipDomain, refreshInterval, maxStaleness, connectTimeout, readTimeout, locationTable, null);
	}

	/** Without a {@code bridge-contact} (the default one). */
	public KamailioProperties(URI rpcUrl, String sipDomain, Duration refreshInterval, Duration maxStaleness,
			Duration connectTimeout, Duration readTimeout, String locationTable, @Nullable String evapiAddress) {
		this(rpcUrl, sipDomain, refreshInterval, maxStaleness, connectTimeout, readTimeout, locationTable,
				evapiAddress, null);
	}

	/** With the default {@code full-resync-interval}. */
	public KamailioProperties(URI rpcUrl, String sipDomain, Duration refreshInterval, Duration maxStaleness,
			Duration connectTimeout, Duration readTimeout, String locationTable, @Nullable String evapiAddress,
			@Nullable String bridgeContact) {
		this(rpcUrl, sipDomain, refreshInterval, maxStaleness, connectTimeout, readTimeout, locationTable,
				evapiAddress, bridgeContact, DurationStyle.detectAndParse(DEFAULT_FULL_RESYNC));
	}

	/** The outbound proxy of click-to-dial: {@code bridge-contact}, or {@code sip:controller@<sip-domain>}. */
	public String bridgeOutboundProxy() {
		return (bridgeContact != null && !bridgeContact.isEmpty()) ? bridgeContact : "sip:controller@" + sipDomain;
	}

	/** The RPC endpoints in the order they are tried: {@code rpc-urls}, else {@code rpc-url} alone. */
	public List<URI> rpcEndpoints() {
		return (rpcUrls != null && !rpcUrls.isEmpty()) ? List.copyOf(rpcUrls) : List.of(rpcUrl);
	}

	/** Where push events come from, one address per node: {@code evapi-addresses}, else {@code evapi-address}. */
	public List<String> evapiEndpoints() {
		if (evapiAddresses != null && !evapiAddresses.isEmpty()) {
			return List.copyOf(evapiAddresses);
		}
		return (evapiAddress != null && !evapiAddress.isEmpty()) ? List.of(evapiAddress) : List.of();
	}

	@AssertTrue(message = "rpc-url and rpc-urls must be http or https URLs")
	public boolean isRpcUrlHttp() {
		return (rpcUrl == null || isHttp(rpcUrl))
				&& (rpcUrls == null || rpcUrls.stream().allMatch((url) -> url != null && isHttp(url)));
	}

	private static boolean isHttp(URI url) {
		return "http".equals(url.getScheme()) || "https".equals(url.getScheme());
	}

	@AssertTrue(message = "refresh-interval must be positive and shorter than max-staleness")
	public boolean isRefreshShorterThanStaleness() {
		return refreshInterval == null || maxStaleness == null
				|| (positive(refreshInterval) && refreshInterval.compareTo(maxStaleness) < 0);
	}

	@AssertTrue(message = "full-resync-interval must be positive")
	public boolean isFullResyncPositive() {
		return fullResyncInterval == null || positive(fullResyncInterval);
	}

	@AssertTrue(message = "connect-timeout and read-timeout must be positive")
	public boolean isTimeoutsPositive() {
		return connectTimeout == null || readTimeout == null || (positive(connectTimeout) && positive(readTimeout));
	}

	@AssertTrue(message = "evapi-address and evapi-addresses must have a port from 1 to 65535")
	public boolean isEvapiPortValid() {
		List<String> addresses = new ArrayList<>();
		if (evapiAddress != null) {
			addresses.add(evapiAddress);
		}
		if (evapiAddresses != null) {
			addresses.addAll(evapiAddresses);
		}
		for (String address : addresses) {
			if (address != null && address.matches(".*:[0-9]{1,5}")) {
				int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
				if (port < 1 || port > 65535) {
					return false;
				}
			}
		}
		return true;
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	/** The RPC URLs without any user info, safe to show and log. */
	public String displayRpcUrl() {
		return String.join(", ", rpcEndpoints().stream().map(KamailioProperties::display).toList());
	}

	/** One RPC URL without its user info. */
	public static String display(URI url) {
		return url.getScheme() + "://" + url.getHost() + ((url.getPort() >= 0) ? ":" + url.getPort() : "")
				+ url.getRawPath();
	}

}
