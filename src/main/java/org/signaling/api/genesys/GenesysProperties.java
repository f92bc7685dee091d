package org.signaling.api.genesys;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.genesys.*}.
 *
 * @param server the Genesys SIP Server as host:port, reported as {@code server}; when the dispatcher set holds
 * several destinations, the one at this address decides the status
 * @param dispatcherSet the Kamailio dispatcher set that probes the Genesys SIP Server with OPTIONS
 * @param service reported as {@code service}
 */
@Validated
@ConfigurationProperties("signaling.genesys")
public record GenesysProperties(
		@NotBlank @Pattern(regexp = "[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}",
				message = "must be host:port") String server,
		@DefaultValue("1") @Positive int dispatcherSet, @DefaultValue("wwe") @NotBlank String service) {
}
