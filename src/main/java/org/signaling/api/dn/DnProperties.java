package org.signaling.api.dn;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.signaling.api.shared.Grammar;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.dn.*}.
 *
 * @param directory the DNs this contact center knows, registered or not: single DNs ("5001") or numeric ranges of
 * equal length ("5001-5099"). A DN listed here and not registered is reported "offline" instead of 404. Empty: only
 * registered DNs are known.
 */
@Validated
@ConfigurationProperties("signaling.dn")
public record DnProperties(
		@DefaultValue @NotNull List<@Pattern(regexp = Grammar.DN_REGEX + "|[0-9]{1,18}-[0-9]{1,18}",
				message = "must be a DN or a numeric range like 5001-5099") String> directory) {
}
