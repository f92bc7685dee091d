package org.signaling.api.pages;

import java.net.URI;

import org.signaling.api.call.CallsProperties;
import org.signaling.api.kamailio.KamailioProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The pages' wiring: where agents register ({@link AgentSipEndpoint}, also for the SIP credentials), the
 * softphone's configuration, their security headers, and how their assets are cached.
 * Beans rather than scanned components, so the other modules' {@code @WebMvcTest} slices do not pick them up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PagesProperties.class)
class PagesConfiguration {

	private static final Logger log = LoggerFactory.getLogger(PagesConfiguration.class);

	@Bean
	AgentSipEndpoint agentSipEndpoint(PagesProperties pages, KamailioProperties kamailio) {
		AgentSipEndpoint endpoint = AgentSipEndpoint.of(pages, kamailio);
		URI websocket = URI.create(endpoint.websocketUrl());
		if ("ws".equals(websocket.getScheme()) && !isLoopback(websocket.getHost())) {
			log.warn("The agent softphone connects to {}: browsers refuse ws:// from an https page except to "
					+ "loopback; set signaling.pages.websocket-url to a wss:// URL", endpoint.websocketUrl());
		}
		return endpoint;
	}

	@Bean
	AgentConfig agentConfig(PagesProperties pages, AgentSipEndpoint endpoint, CallsProperties calls) {
		return AgentConfig.of(pages, endpoint, calls);
	}

	@Bean
	FilterRegistrationBean<PageHeadersFilter> pageHeadersFilter(AgentSipEndpoint endpoint, PagesProperties pages) {
		return new FilterRegistrationBean<>(new PageHeadersFilter(endpoint.websocketOrigin(), pages.frameAncestors()));
	}

	/**
	 * The bundles keep their names from release to release, so browsers revalidate them ({@code no-cache}, answered
	 * 304 while unchanged) instead of Spring Security's {@code no-store}.
	 */
	@Bean
	WebMvcConfigurer pageAssets() {
		return new WebMvcConfigurer() {
			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				registry.addResourceHandler("/assets/**")
					.addResourceLocations("classpath:/static/assets/")
					.setCacheControl(CacheControl.noCache());
			}
		};
	}

	private static boolean isLoopback(String host) {
		return "localhost".equalsIgnoreCase(host) || host.startsWith("127.") || "[::1]".equals(host);
	}

}
