package org.signaling.api.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed keystore for localhost, made with keytool as scripts/run makes the development one, so integration
 * tests run the service over TLS as in production, and a client context that trusts exactly that certificate.
 */
public final class TestTls {

	public static final String PASSWORD = "test-only-keystore";

	private final Path keystore;

	private TestTls(Path keystore) {
		this.keystore = keystore;
	}

	public static TestTls create() {
		try {
			Path dir = Files.createTempDirectory("signaling-api-tls");
			Path keystore = dir.resolve("keystore.p12");
			Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
			Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "signaling-api",
					"-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost", "-ext",
					"SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
					"-storepass", PASSWORD))
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("keytool.log").toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
			}
			return new TestTls(keystore);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** For {@code server.ssl.key-store}. */
	public String keystoreLocation() {
		return "file:" + keystore;
	}

	/**
	 * The service's certificate as PEM, written next to the keystore (for clients outside the JVM, e.g. Node's
	 * {@code NODE_EXTRA_CA_CERTS} or curl's {@code --cacert}).
	 */
	public Path certificatePem() {
		try (InputStream in = Files.newInputStream(keystore)) {
			KeyStore serverStore = KeyStore.getInstance("PKCS12");
			serverStore.load(in, PASSWORD.toCharArray());
			String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
				.encodeToString(serverStore.getCertificate("signaling-api").getEncoded());
			Path pem = keystore.resolveSibling("certificate.pem");
			Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
			return pem;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Trusts the service's certificate only; host name verification stays on. */
	public SSLContext clientContext() {
		try (InputStream in = Files.newInputStream(keystore)) {
			KeyStore serverStore = KeyStore.getInstance("PKCS12");
			serverStore.load(in, PASSWORD.toCharArray());
			KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
			trust.load(null, null);
			trust.setCertificateEntry("signaling-api", serverStore.getCertificate("signaling-api"));
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
