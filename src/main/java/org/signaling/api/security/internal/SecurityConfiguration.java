package org.signaling.api.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.ApiSecurityProperties;
import org.signaling.api.security.Scopes;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Every access rule of the API, in one place. Stateless; no switch turns it off.
 *
 * <ul>
 * <li>open: {@code GET /api/health} (details only for authenticated callers), {@code /actuator/health/**}, CORS
 * preflights, the browser pages ({@code GET /}, {@code /agent}, {@code /agent/config.json}, {@code /assets/**}), the
 * OpenAPI document and Swagger UI;</li>
 * <li>scope {@code read}: every other GET under {@code /api};</li>
 * <li>scope {@code calls}: {@code POST /api/call/make}; {@code calls} or {@code supervise}:
 * {@code POST /api/call/hangup} (an agent token only for its own DN, checked by the call service);</li>
 * <li>an agent token (a JWT with the DN claim, whatever its scopes), or scope {@code calls}:
 * {@code POST /api/agent/sip-credentials} (the token only for its own DN, checked by the sipauth service);</li>
 * <li>scope {@code admin}: everything, Actuator and webhook subscriptions included.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiSecurityProperties.class)
public class SecurityConfiguration {

	private static final String[] READ = { "SCOPE_read", "SCOPE_admin" };

	/**
	 * No Spring Security observations: they wrap every filter of the chain in an observation and look meters up per
	 * filter per request, which bench/profile-reads.sh showed among the read path's hottest frames. Each request is
	 * observed once, as {@code http.server.requests}; refusals have their own counters
	 * ({@code signaling.security.denied}, {@code signaling.security.rate_limited}).
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/** On PostgreSQL, the rate-limit budgets every replica draws from; on H2 (one replica) none. */
	@Bean
	SharedBudgets sharedBudgets(ObjectProvider<DataSourceProperties> dataSources, Clock clock, MeterRegistry meters) {
		DataSourceProperties dataSource = dataSources.getIfAvailable();
		if (dataSource == null) {
			return SharedBudgets.NONE;
		}
		String url = dataSource.determineUrl();
		if (url == null || !url.startsWith("jdbc:postgresql:")) {
			return SharedBudgets.NONE;
		}
		return new PostgresBudgets(
				PostgresBudgets.poolFor(url, dataSource.determineUsername(), dataSource.determinePassword()), clock,
				meters);
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiSecurityProperties properties, MeterRegistry meters,
			Clock clock, SharedBudgets sharedBudgets) throws Exception {
		ClientIpResolver clientIps = new ClientIpResolver(properties.trustedProxies());
		SecurityLog securityLog = new SecurityLog(clock, meters);
		SecurityEvents events = new SecurityEvents(clientIps, securityLog, meters);
		RateLimiter limiter = new RateLimiter(properties.rateLimits(), clock, sharedBudgets);
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.cors(AbstractHttpConfigurer::disable)
			.addFilterBefore(corsFilter(properties.cors()), SecurityContextHolderFilter.class)
			.authorizeHttpRequests((requests) -> requests
				// The request itself was authorized; the async dispatch that ends an event stream and the error
				// dispatch that renders a refusal only finish its response.
				.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
				.permitAll()
				.requestMatchers(HttpMethod.OPTIONS, "/api/**")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/api/health")
				.permitAll()
				.requestMatchers("/actuator/health", "/actuator/health/**", "/error")
				.permitAll()
				// The browser pages (module pages): static HTML and scripts without data; the API calls they make
				// carry the user's credential like any client's.
				.requestMatchers(HttpMethod.GET, "/", "/agent", "/agent/config.json", "/assets/**")
				.permitAll()
				// The published contract (module apidocs): the same document is committed as api/openapi.yaml.
				.requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
						"/swagger-ui.html", "/swagger-ui/**")
				.permitAll()
				.requestMatchers("/api/webhooks", "/api/webhooks/**")
				.hasAuthority("SCOPE_admin")
				.requestMatchers(HttpMethod.POST, "/api/call/make")
				.hasAnyAuthority("SCOPE_calls", "SCOPE_admin")
				.requestMatchers(HttpMethod.POST, "/api/call/hangup")
				.hasAnyAuthority("SCOPE_calls", "SCOPE_supervise", "SCOPE_admin")
				// a supervisor joins a call: supervisors only
				.requestMatchers(HttpMethod.POST, "/api/calls/*/monitors")
				.hasAnyAuthority("SCOPE_supervise", "SCOPE_admin")
				.requestMatchers("/api/monitors/*")
				.hasAnyAuthority("SCOPE_supervise", "SCOPE_admin")
				// hold, DTMF, mute, recording, transfers: an agent on its own calls (CallPermissions) or a supervisor
				.requestMatchers(HttpMethod.POST, "/api/calls/*/hold", "/api/calls/*/unhold", "/api/calls/*/dtmf",
						"/api/calls/*/mute", "/api/calls/*/recording", "/api/calls/*/transfers",
						"/api/transfers/*/complete")
				.hasAnyAuthority("SCOPE_calls", "SCOPE_supervise", "SCOPE_admin")
				.requestMatchers(HttpMethod.DELETE, "/api/transfers/*")
				.hasAnyAuthority("SCOPE_calls", "SCOPE_supervise", "SCOPE_admin")
				.requestMatchers(HttpMethod.POST, "/api/agent/sip-credentials")
				.access(SecurityConfiguration::agentOrCalls)
				.requestMatchers(HttpMethod.GET, "/api/**")
				.hasAnyAuthority(READ)
				// a Prometheus scraper's key: the metrics, not the other Actuator endpoints or the API
				.requestMatchers(HttpMethod.GET, "/actuator/prometheus")
				.hasAnyAuthority("SCOPE_metrics", "SCOPE_admin")
				.anyRequest()
				.hasAuthority("SCOPE_admin"))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(events).accessDeniedHandler(events))
			.addFilterAfter(new AuditFilter(clientIps, meters), SecurityContextHolderFilter.class)
			.addFilterAfter(new CredentialAttributeFilter(), SecurityContextHolderFilter.class)
			.addFilterAfter(new IpRateLimitFilter(limiter, clientIps, properties.rateLimits().healthProbeNetworks(),
					securityLog, meters), SecurityContextHolderFilter.class)
			.addFilterBefore(new ApiKeyAuthenticationFilter(new ApiKeys(properties.apiKeys()), events),
					AnonymousAuthenticationFilter.class)
			.addFilterBefore(new CredentialRateLimitFilter(limiter, clientIps, securityLog, meters),
					ExceptionTranslationFilter.class);
		if (properties.jwt().isConfigured()) {
			DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
			http.oauth2ResourceServer((server) -> server
				// "Bearer sk_..." is an API key, left to the API key filter.
				.bearerTokenResolver((request) -> {
					String token = bearer.resolve(request);
					return (token != null && token.startsWith("sk_")) ? null : token;
				})
				.authenticationEntryPoint(events)
				.accessDeniedHandler(events)
				.jwt((jwt) -> jwt.decoder(jwtDecoder(properties.jwt()))
					.jwtAuthenticationConverter(new JwtPrincipalConverter(properties.jwt().dnClaim()))));
		}
		return http.build();
	}

	/**
	 * Who may ask for SIP credentials: an agent token, for the DN it is bound to (registering as that agent is what it
	 * is for, so no scope is needed), or a server speaking for agents ({@code calls}, or {@code admin}).
	 */
	static AuthorizationResult agentOrCalls(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		return new AuthorizationDecision(authentication.get().getPrincipal() instanceof ApiPrincipal principal
				&& (principal.dn() != null || principal.has(Scopes.CALLS)));
	}

	/**
	 * The firewall refuses URLs with encoded CR, LF, NUL, non-ASCII and the like before anything else runs; the
	 * refusal gets the API's error shape too.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, rejected) -> Problems.write(response, Problems.of(ProblemType.MALFORMED_REQUEST,
				"Bad request: the URL contains characters that are not allowed"));
	}

	static NimbusJwtDecoder jwtDecoder(ApiSecurityProperties.Jwt jwt) {
		NimbusJwtDecoder decoder;
		if (jwt.jwkSetUri() != null) {
			decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri().toString()).build();
		}
		else {
			SecretKeySpec key = new SecretKeySpec(jwt.hs256Secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
			decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
		}
		// Spring accepts a token without exp by default; one that never expires is not a credential we take.
		JwtTimestampValidator timestamps = new JwtTimestampValidator();
		timestamps.setAllowEmptyExpiryClaim(false);
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(
				List.of(timestamps, JwtScopes.validator(JwtScopes.SCOPE), JwtScopes.validator(JwtScopes.SCP)));
		if (jwt.issuer() != null) {
			validators.add(new JwtIssuerValidator(jwt.issuer()));
		}
		if (jwt.audience() != null) {
			String audience = jwt.audience();
			validators.add(new JwtClaimValidator<List<String>>("aud",
					(aud) -> aud != null && aud.contains(audience)));
		}
		// The defaults (typ, certificate-bound tokens) with our timestamp validator in place of theirs.
		decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(validators));
		return decoder;
	}

	/** CORS first in the chain, so preflights are answered before authentication; refusals in the API's shape. */
	static CorsFilter corsFilter(ApiSecurityProperties.Cors cors) {
		CorsFilter filter = new CorsFilter(corsConfiguration(cors));
		filter.setCorsProcessor(new DefaultCorsProcessor() {
			@Override
			protected void rejectRequest(ServerHttpResponse response) throws IOException {
				ProblemDetail problem = Problems.of(ProblemType.ORIGIN_NOT_ALLOWED, "Origin not allowed");
				response.setStatusCode(ProblemType.ORIGIN_NOT_ALLOWED.status());
				response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
				response.getBody().write(Problems.json(problem).getBytes(StandardCharsets.UTF_8));
				response.flush();
			}
		});
		return filter;
	}

	/**
	 * Exact origins only, never {@code *}; no cookies (credentials travel in headers), so no credentialed CORS.
	 */
	static CorsConfigurationSource corsConfiguration(ApiSecurityProperties.Cors cors) {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(cors.allowedOrigins());
		// PATCH and DELETE: monitors and transfers; If-None-Match and ETag: conditional reads; traceparent: WWE's
		// trace continued, and this request's returned.
		configuration.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE", "OPTIONS"));
		configuration.setAllowedHeaders(List.of("Content-Type", "Authorization", "X-API-Key", "Idempotency-Key",
				"X-Request-Id", "If-None-Match", "traceparent", "tracestate"));
		configuration.setExposedHeaders(List.of("Location", "X-Request-Id", "X-State-Age-Ms", "Retry-After",
				"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Idempotent-Replayed", "ETag",
				"traceparent"));
		configuration.setAllowCredentials(false);
		configuration.setMaxAge(3600L);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", configuration);
		return source;
	}

}
