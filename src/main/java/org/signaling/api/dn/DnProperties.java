package org.signaling.api.dn;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.signaling.api.shared.Grammar;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.dn.*}.
 *
 * @param directory the DNs this contact center knows, registered or not: single DNs ("5001") or numeric ranges of
 * equal length ("5001-5099"). A DN listed here and not registered is reported "offline" instead of 404. Empty: only
 * registered DNs are known.
 * @param unreachableAfter a registered contact that has answered neither a probe of Kamailio's nor with a REGISTER for
 * this long is unreachable ({@link Reachability}); keep it equal to kamailio.cfg's {@code KA_UNREACHABLE_AFTER}. Zero
 * turns reachability off, for a Kamailio without usrloc keepalives.
 */
@Validated
@ConfigurationProperties("signaling.dn")
public record DnProperties(
		@DefaultValue @NotNull List<@Pattern(regexp = Grammar.DN_REGEX + "|[0-9]{1,18}-[0-9]{1,18}",
				message = "must be a DN or a numeric range like 5001-5099") String> directory,
		@DefaultValue("30s") @NotNull Duration unreachableAfter) {

	@ConstructorBinding
	public DnProperties {
	}

	/** Only the directory; reachability with its default bound. */
	public DnProperties(List<String> directory) {
		this(directory, Reachability.DEFAULT_UNREACHABLE_AFTER);
	}

	/** The reachability rule with this bound. */
	public Reachability reachability() {
		return new Reachability(unreachableAfter);
	}

	@AssertTrue(message = "unreachable-after must not be negative")
	public boolean isUnreachableAfterNotNegative() {
		return unreachableAfter == null || !unreachableAfter.isNegative();
	}

}
