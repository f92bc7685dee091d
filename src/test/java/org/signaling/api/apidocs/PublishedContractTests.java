package org.signaling.api.apidocs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the service serves is the one committed as {@code api/openapi.yaml}: clients generated from
 * the file see the API that runs. After a deliberate API change, refresh the file with
 * {@code ./mvnw -B test -Dtest=PublishedContractTests -Dopenapi.update=true} and review the diff.
 */
@SpringBootTest(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060" })
@AutoConfigureMockMvc
class PublishedContractTests {

	static final Path COMMITTED = Path.of("api/openapi.yaml");

	@Autowired
	MockMvcTester mvc;

	@Test
	void servedDocumentIsTheCommittedOne() throws Exception {
		String served = served("/v3/api-docs.yaml");
		if (Boolean.getBoolean("openapi.update")) {
			Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
		}
		assertThat(served).as("served /v3/api-docs.yaml vs api/openapi.yaml; after a deliberate API change run "
				+ "./mvnw -B test -Dtest=PublishedContractTests -Dopenapi.update=true")
			.isEqualTo(Files.readString(COMMITTED, StandardCharsets.UTF_8));
	}

	@Test
	void documentIsOpenToClientsWithoutCredentials() {
		assertThat(mvc.get().uri("/v3/api-docs")).hasStatusOk().bodyJson().extractingPath("$.openapi")
			.asString().startsWith("3.1");
		assertThat(mvc.get().uri("/swagger-ui.html")).hasStatus3xxRedirection();
	}

	@Test
	void everyEndpointIsDocumentedWithItsErrors() {
		assertThat(mvc.get().uri("/v3/api-docs")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.paths[*][*].summary")
			.asArray()
			.hasSize(Endpoints.all().size());
	}

	private String served(String uri) throws Exception {
		MvcTestResult result = mvc.get().uri(uri).exchange();
		assertThat(result).hasStatus(HttpStatus.OK);
		return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
	}

}
