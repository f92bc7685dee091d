package org.signaling.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One version everywhere: the service (pom.xml) is the source; the Java client's pom, the JS client's package.json
 * (and so its User-Agent, checked by its own tests) and the published contract's {@code info.version} carry the same.
 * To release a new version, change it in those three files and refresh {@code api/openapi.yaml}
 * (see {@code PublishedContractTests}).
 */
class OneVersionTests {

	static final Path ROOT = Path.of(System.getProperty("project.basedir", "."));

	@Test
	void clientsAndContractCarryTheServicesVersion() throws Exception {
		String version = pomVersion(ROOT.resolve("pom.xml"));

		assertThat(pomVersion(ROOT.resolve("clients/java/pom.xml"))).as("clients/java/pom.xml").isEqualTo(version);
		assertThat(JsonMapper.shared().readTree(ROOT.resolve("clients/js/package.json").toFile()).path("version")
			.asString())
			.as("clients/js/package.json")
			.isEqualTo(version);
		assertThat(new YAMLMapper().readTree(ROOT.resolve("api/openapi.yaml").toFile()).path("info").path("version")
			.asString())
			.as("api/openapi.yaml info.version")
			.isEqualTo(version);
		assertThat(javaClientVersion()).as("the Java client's filtered signaling-api-client.properties")
			.isEqualTo(version);
	}

	private static String pomVersion(Path pom) throws Exception {
		Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
			.getDocumentElement();
		for (var node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && element.getTagName().equals("version")) {
				return element.getTextContent().strip();
			}
		}
		throw new AssertionError(pom + " has no <version>");
	}

	private static String javaClientVersion() throws IOException {
		Properties properties = new Properties();
		try (InputStream in = OneVersionTests.class
			.getResourceAsStream("/org/signaling/client/signaling-api-client.properties")) {
			assertThat(in).as("signaling-api-client.properties on the test classpath").isNotNull();
			properties.load(in);
		}
		return properties.getProperty("version");
	}

}
