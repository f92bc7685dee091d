package org.signaling.api.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.api.*}.
 *
 * @param serviceName reported as {@code service} by {@code GET /api/health}
 * @param maxRequestBody larger request bodies are refused with 413
 */
@Validated
@ConfigurationProperties("signaling.api")
public record ApiProperties(@DefaultValue("kamailio-custom-signaling") @NotBlank String serviceName,
		@DefaultValue("16KB") @NotNull DataSize maxRequestBody) {
}
