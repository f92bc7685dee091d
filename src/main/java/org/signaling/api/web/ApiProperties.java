package org.signaling.api.web;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.api.*}.
 *
 * @param serviceName reported as {@code service} by {@code GET /api/health}
 */
@Validated
@ConfigurationProperties("signaling.api")
record ApiProperties(@DefaultValue("kamailio-custom-signaling") @NotBlank String serviceName) {
}
