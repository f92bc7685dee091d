package org.signaling.api.webhooks;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.webhooks.internal.TargetNetworks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.webhooks.*}: how webhooks are delivered, and the subscriptions that come from configuration.
 *
 * @param allowInsecureUrls accept {@code http} targets (tests, labs); otherwise only {@code https}
 * @param allowedNetworks addresses and CIDR blocks (IPv4, IPv6) that webhooks may reach although they are not public:
 * a lab, an internal receiver. Loopback, private, link-local and other non-public addresses are refused otherwise, at
 * creation and at every attempt
 * @param connectTimeout TCP (and TLS) connect timeout of one attempt
 * @param responseTimeout how long one attempt waits for the subscriber's answer
 * @param retryPeriod how long a failing delivery is retried (from its creation or its redeliver request) before it
 * is dead
 * @param backoffInitial the retry delay ceiling after the first failure; each delay is drawn at random below its
 * ceiling (full jitter)
 * @param backoffMultiplier how the ceiling grows after each further failure
 * @param backoffMax the largest ceiling
 * @param secretOverlap how long the previous secret keeps being signed with after a rotation
 * @param deliveryRetention how long delivered and dead deliveries stay visible before they are deleted
 * @param pollInterval how often the outbox is looked at even when no event arrives (due retries, missed wake-ups)
 * @param maxConcurrency attempts in flight at once, over all subscriptions
 * @param maxInFlightPerSubscription attempts in flight at once for one subscription, so a slow or dead subscriber
 * cannot take every sender
 * @param maxSubscriptions how many subscriptions the API accepts (configuration ones not counted)
 * @param subscriptions subscriptions from configuration, upserted by name at start-up
 */
@Validated
@ConfigurationProperties("signaling.webhooks")
public record WebhookProperties(@DefaultValue("false") boolean allowInsecureUrls,
		@DefaultValue @NotNull List<String> allowedNetworks,
		@DefaultValue("2s") @NotNull Duration connectTimeout, @DefaultValue("5s") @NotNull Duration responseTimeout,
		@DefaultValue("24h") @NotNull Duration retryPeriod, @DefaultValue("1s") @NotNull Duration backoffInitial,
		@DefaultValue("2.0") @DecimalMin("1.0") @DecimalMax("10.0") double backoffMultiplier,
		@DefaultValue("5m") @NotNull Duration backoffMax, @DefaultValue("24h") @NotNull Duration secretOverlap,
		@DefaultValue("7d") @NotNull Duration deliveryRetention, @DefaultValue("1s") @NotNull Duration pollInterval,
		@DefaultValue("16") @Min(1) @Max(256) int maxConcurrency,
		@DefaultValue("4") @Min(1) @Max(256) int maxInFlightPerSubscription,
		@DefaultValue("100") @Min(1) @Max(10_000) int maxSubscriptions,
		@DefaultValue @NotNull @Valid List<ConfiguredSubscription> subscriptions) {

	@AssertTrue(message = "signaling.webhooks timeouts, periods, backoffs and intervals must be positive, "
			+ "backoff-max not below backoff-initial")
	boolean isTimingConsistent() {
		if (connectTimeout == null || responseTimeout == null || retryPeriod == null || backoffInitial == null
				|| backoffMax == null || secretOverlap == null || deliveryRetention == null || pollInterval == null) {
			return true; // reported by @NotNull
		}
		return isPositive(connectTimeout) && isPositive(responseTimeout) && isPositive(retryPeriod)
				&& isPositive(backoffInitial) && backoffMax.compareTo(backoffInitial) >= 0
						&& !secretOverlap.isNegative()
				&& isPositive(deliveryRetention) && isPositive(pollInterval);
	}

	@AssertTrue(message = "signaling.webhooks.subscriptions need unique names")
	boolean isNamesUnique() {
		if (subscriptions == null) {
			return true;
		}
		Set<String> names = new HashSet<>();
		return subscriptions.stream().allMatch((subscription) -> subscription.name() == null
				|| names.add(subscription.name()));
	}

	@AssertTrue(message = "signaling.webhooks.subscriptions[].url must be an absolute URL without credentials, "
			+ "https unless signaling.webhooks.allow-insecure-urls=true")
	boolean isUrlsValid() {
		return subscriptions == null || subscriptions.stream()
			.allMatch((subscription) -> subscription.url() == null
					|| WebhookRules.urlProblem(subscription.url(), allowInsecureUrls).isEmpty());
	}

	@AssertTrue(message = "signaling.webhooks.allowed-networks must be IP addresses or CIDR blocks, "
			+ "such as 10.20.0.0/16 or fd00:20::/32")
	boolean isAllowedNetworksValid() {
		return allowedNetworks == null || allowedNetworks.stream()
			.allMatch((network) -> network != null && TargetNetworks.isValidNetwork(network));
	}

	/** Masks the secrets of configuration subscriptions, so the properties can be logged. */
	@Override
	public String toString() {
		return "WebhookProperties[allowInsecureUrls=" + allowInsecureUrls + ", allowedNetworks=" + allowedNetworks
				+ ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout + ", retryPeriod="
				+ retryPeriod + ", backoffInitial="
				+ backoffInitial + ", backoffMultiplier=" + backoffMultiplier + ", backoffMax=" + backoffMax
				+ ", secretOverlap=" + secretOverlap + ", deliveryRetention=" + deliveryRetention + ", pollInterval="
				+ pollInterval + ", maxConcurrency=" + maxConcurrency + ", maxInFlightPerSubscription="
				+ maxInFlightPerSubscription + ", maxSubscriptions=" + maxSubscriptions + ", subscriptions="
				+ subscriptions + "]";
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	/**
	 * A subscription from configuration ({@code signaling.webhooks.subscriptions[n]}). It cannot be deleted or
	 * rotated over the API; a changed secret is rotated at start-up (the old one is still signed with for
	 * {@code secret-overlap}), and a subscription removed from configuration is deleted at start-up.
	 *
	 * @param name unique key: 1-64 of {@code A-Z a-z 0-9 . _ -}
	 * @param url the target
	 * @param eventTypes the types to deliver; empty = all
	 * @param dns only events about these DNs; empty = no filter
	 * @param secret the HMAC key (16-256 visible ASCII characters), from the environment
	 */
	public record ConfiguredSubscription(@Nullable String name, @Nullable String url,
			@DefaultValue @NotNull List<String> eventTypes, @DefaultValue @NotNull List<String> dns,
			@Nullable String secret) {

		@AssertTrue(message = "signaling.webhooks.subscriptions[].name must be 1-64 of A-Z a-z 0-9 . _ -")
		boolean isNameValid() {
			return name != null && WebhookRules.isValidName(name);
		}

		@AssertTrue(message = "signaling.webhooks.subscriptions[].url is required")
		boolean isUrlGiven() {
			return url != null && !url.isBlank();
		}

		@AssertTrue(message = "signaling.webhooks.subscriptions[].secret is required: 16-256 visible ASCII characters "
				+ "(pass it through the environment)")
		boolean isSecretValid() {
			return secret != null && WebhookRules.isValidSecret(secret);
		}

		@AssertTrue(message = "signaling.webhooks.subscriptions[].event-types must be known event types")
		boolean isEventTypesKnown() {
			return eventTypes == null || eventTypes.stream().allMatch(WebhookRules::isKnownEventType);
		}

		@AssertTrue(message = "signaling.webhooks.subscriptions[].dns must be valid DNs (at most 200)")
		boolean isDnsValid() {
			return dns == null || (dns.size() <= WebhookRules.MAX_DNS && dns.stream().allMatch(DnSyntax::isValid));
		}

		@Override
		public String toString() {
			return "ConfiguredSubscription[name=" + name + ", url=" + ((url == null) ? "null"
					: WebhookRules.redacted(url))
					+ ", eventTypes=" + eventTypes + ", dns="
					+ dns + ", secret=" + ((secret == null) ? "null" : "******") + "]";
		}

	}

}
