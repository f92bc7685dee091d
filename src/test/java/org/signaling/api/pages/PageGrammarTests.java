package org.signaling.api.pages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.signaling.api.shared.Grammar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The softphone's DN rule (src/main/web/src/lib/sip.js) is the service's DN grammar without {@code #}, which a SIP URI
 * cannot carry unescaped: the page's copy cannot drift from {@link Grammar} unnoticed.
 */
class PageGrammarTests {

	static final Path SIP_JS = Path.of("src/main/web/src/lib/sip.js");

	static final Pattern DN_PATTERN = Pattern.compile("export const DN_PATTERN = /(.*)/;");

	@Test
	void theSoftphonesDnRuleIsTheDnGrammarWithoutTheHash() throws IOException {
		Matcher declaration = DN_PATTERN.matcher(Files.readString(SIP_JS, StandardCharsets.UTF_8));

		assertThat(declaration.find()).as("DN_PATTERN in " + SIP_JS).isTrue();
		assertThat(declaration.group(1)).isEqualTo("^" + Grammar.DN_REGEX.replace("#", "") + "$");
	}

}
