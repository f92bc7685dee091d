import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * The floor under an HTTPS read on this machine: a bare JSSE server (no HTTP framework, no routing, no security, no
 * metrics) that answers every request on a keep-alive connection with the same file. It is what writing those bytes
 * over TLS in this JVM costs; a measuring instrument for bench/read-throughput.sh, not product code (so hand-written,
 * and a single-file program run with {@code java bench/TlsFloor.java}).
 *
 * <pre>java bench/TlsFloor.java PORT KEYSTORE.p12 PASSWORD BODY_FILE</pre>
 * Binds 127.0.0.1 only; a thread per connection (wrk opens 16).
 */
public final class TlsFloor {

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		char[] password = args[2].toCharArray();
		byte[] body = Files.readAllBytes(Path.of(args[3]));
		byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
				+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		KeyStore keys = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(args[1])) {
			keys.load(in, password);
		}
		KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		managers.init(keys, password);
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(managers.getKeyManagers(), null, null);
		try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(port, 64,
				InetAddress.getLoopbackAddress())) {
			System.out.println("listening on https://127.0.0.1:" + port + " with " + body.length + " bytes");
			while (true) {
				Socket connection = server.accept();
				new Thread(() -> serve(connection, head, body)).start();
			}
		}
	}

	private static void serve(Socket connection, byte[] head, byte[] body) {
		try (connection) {
			connection.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(connection.getInputStream());
			OutputStream out = connection.getOutputStream();
			while (endOfRequest(in)) {
				out.write(head);
				out.write(body);
				out.flush();
			}
		}
		catch (IOException closed) {
			// the client went away: the connection's thread ends
		}
	}

	/** Reads one request's head (no body is expected); false when the connection closed. */
	private static boolean endOfRequest(InputStream in) throws IOException {
		int matched = 0;
		for (int b = in.read(); b >= 0; b = in.read()) {
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
			if (matched == 4) {
				return true;
			}
		}
		return false;
	}

}
