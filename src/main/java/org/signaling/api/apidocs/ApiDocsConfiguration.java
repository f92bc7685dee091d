package org.signaling.api.apidocs;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.signaling.api.shared.ReadyAnswer;
import org.signaling.api.shared.ReadyJson;
import org.signaling.api.shared.ReadyRead;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/** The OpenAPI document's header (title, version, servers, security schemes) and its completion. */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	static final String API_KEY = "apiKey";

	static final String BEARER = "bearer";

	static {
		// A ready answer is the JSON of its type parameter (DnListResponse, ...): documented as that type.
		SpringDocUtils.getConfig().addResponseWrapperToIgnore(ReadyJson.class);
		SpringDocUtils.getConfig().addResponseWrapperToIgnore(ReadyAnswer.class);
	}

	/**
	 * The contract's version is the build's (pom.xml), the one the service and both clients carry too; a version
	 * bump therefore shows in the committed {@code api/openapi.yaml} as well.
	 */
	@Bean
	OpenAPI signalingOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties buildProperties = build.getIfAvailable();
		String version = (buildProperties != null && buildProperties.getVersion() != null)
				? buildProperties.getVersion() : "unknown";
		return new OpenAPI()
			.info(new Info().title("signaling-api")
				.version(version)
				.description("""
						One REST API over a WebRTC contact center's signaling plane: DN registrations and calls \
						from Kamailio, click-to-dial and hangup through Asterisk (or Kamailio), Genesys SIP Server \
						reachability, events (Server-Sent Events and signed webhooks) and call history.

						Every error is `{"error": "..."}`: an RFC 9457 problem that also carries `error`, whose `type` \
						names the failure (`urn:signaling-api:problem:dn-not-found`; the list is in the Error schema). \
						Data endpoints answer from a live in-memory view of Kamailio and say how old it is in \
						`X-State-Age-Ms`. Every response carries `X-Request-Id`; rate-limited responses carry \
						`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`, and `Retry-After` on 429.""")
				.license(new License().name("Proprietary")))
			.servers(List.of(new Server().url("https://192.168.210.54:8443").description("the seed's address"),
					new Server().url("https://localhost:8443").description("scripts/run's lab")))
			.components(new Components()
				.addSecuritySchemes(API_KEY,
						new SecurityScheme().type(SecurityScheme.Type.APIKEY)
							.in(SecurityScheme.In.HEADER)
							.name("X-API-Key")
							.description("An API key (scopes read, calls, admin); also accepted as "
									+ "`Authorization: Bearer <key>`."))
				.addSecuritySchemes(BEARER,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.bearerFormat("JWT or API key")
							.description("A JWT from the identity provider (scopes read, calls, supervise, admin; "
									+ "agent tokens carry their DN) or an API key.")))
			.addSecurityItem(new SecurityRequirement().addList(API_KEY))
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
	}

	/**
	 * A ready answer takes {@code Accept-Encoding}: its gzip form. The header is read where the answer is written
	 * ({@link ReadyAnswer}), so the controller's signature does not show it; {@link ContractCompletion} describes it
	 * and adds the conditional requests.
	 */
	@Bean
	OperationCustomizer readyAnswersTakeAcceptEncoding() {
		return (operation, handler) -> {
			ReadyRead ready = handler.getMethodAnnotation(ReadyRead.class);
			if (ready != null && ready.conditional()) {
				operation.addParametersItem(new HeaderParameter().name(HttpHeaders.ACCEPT_ENCODING)
					.required(false)
					.schema(new StringSchema()));
			}
			return operation;
		};
	}

	@Bean
	OpenApiCustomizer signalingContract() {
		return new ContractCompletion();
	}

}
