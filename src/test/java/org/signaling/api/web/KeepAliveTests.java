package org.signaling.api.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.FakeBackends;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pooled client keeps its connection well past Tomcat's default of 100 requests (server.tomcat.
 * max-keep-alive-requests, application.yml): over TLS each new connection is a handshake, which cost the cheapest
 * requests a fifth of their CPU. Over a real socket, answer by answer, as a keep-alive client reads them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.enabled=false", "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
				"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
				"signaling.dn.directory=5001-5005", "signaling.security.rate-limits.per-ip-per-minute=100000" })
@Import(FakeBackends.class)
class KeepAliveTests {

	static final int REQUESTS = 250;

	@LocalServerPort
	int port;

	@Test
	void oneConnectionCarriesHundredsOfRequestsWithoutBeingClosed() throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			for (int i = 1; i <= REQUESTS; i++) {
				out.write(("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				String head = readAnswer(in);
				assertThat(head).as("answer %d on the same connection", i).startsWith("HTTP/1.1 200");
				assertThat(head.toLowerCase(Locale.ROOT)).as("answer %d", i).doesNotContain("connection: close");
			}
		}
	}

	/** Reads one answer (head and its Content-Length body); returns the head. */
	private static String readAnswer(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			assertThat(b).as("the server closed the connection").isNotNegative();
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.US_ASCII);
		int length = 0;
		for (String line : text.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		assertThat(text.toLowerCase(Locale.ROOT)).as("a body this test can delimit").doesNotContain("chunked");
		assertThat(in.readNBytes(length)).hasSize(length);
		return text;
	}

}
