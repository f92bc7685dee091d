package org.signaling.api.shared;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * An answer serialized once, for every request that asks for it until what it was built from changes: its JSON
 * bytes, their gzip form and a strong ETag. A request then costs its authentication, its rate limit and writing these
 * bytes ({@link ReadyAnswer}); nothing is serialized or compressed per request.
 * <p>
 * The ETag is a digest of the bytes rather than a counter of the view's versions: the same content has the same tag
 * on every replica and after a restart, so a client's copy stays valid when its next request lands elsewhere, and a
 * refresh of the view that changed nothing keeps the tag.
 *
 * @param <T> the shape of the JSON: what the contract documents (the bytes are a value of it, serialized)
 */
public final class ReadyJson<T> {

	/** Below this a gzip form saves too little to be worth a header: the plain bytes are sent. */
	private static final int MIN_GZIP_SIZE = 256;

	private final byte[] json;

	private final byte @Nullable [] gzip;

	private final String etag;

	private ReadyJson(byte[] json) {
		this.json = json;
		byte[] compressed = (json.length >= MIN_GZIP_SIZE) ? gzip(json) : null;
		this.gzip = (compressed != null && compressed.length < json.length) ? compressed : null;
		this.etag = etagOf(json);
	}

	/** Serializes {@code value} as the API's JSON converter would, once. */
	public static <T> ReadyJson<T> of(T value, JsonMapper json) {
		return new ReadyJson<>(json.writeValueAsBytes(value));
	}

	/** The strong ETag, quoted ({@code "…"}). */
	public String etag() {
		return etag;
	}

	byte[] jsonBytes() {
		return json;
	}

	/** The gzip form, for a client whose {@code Accept-Encoding} admits it; null: send {@link #jsonBytes()}. */
	byte @Nullable [] gzipFor(@Nullable String acceptEncoding) {
		return (gzip != null && acceptsGzip(acceptEncoding)) ? gzip : null;
	}

	/**
	 * Whether an {@code Accept-Encoding} header admits gzip: named (or {@code *}) without {@code q=0}. Written here
	 * because Spring has no parser of this header (its content negotiation covers media types only), and
	 * server.compression is kept for the pages: it would compress each answer again on every request.
	 */
	static boolean acceptsGzip(@Nullable String acceptEncoding) {
		if (acceptEncoding == null || acceptEncoding.length() > 1024) {
			return false;
		}
		for (String coding : acceptEncoding.split(",")) {
			String[] parts = coding.split(";");
			String name = parts[0].trim().toLowerCase(Locale.ROOT);
			if ((name.equals("gzip") || name.equals("x-gzip") || name.equals("*")) && !refused(parts)) {
				return true;
			}
		}
		return false;
	}

	private static boolean refused(String[] parameters) {
		for (int i = 1; i < parameters.length; i++) {
			String parameter = parameters[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
			if (parameter.startsWith("q=")) {
				return parameter.substring(2).matches("0(\\.0{0,3})?");
			}
		}
		return false;
	}

	private static byte[] gzip(byte[] bytes) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static String etagOf(byte[] bytes) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
			return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
