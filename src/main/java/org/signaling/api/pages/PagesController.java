package org.signaling.api.pages;

import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pages: {@code /} (supervisor dashboard), {@code /agent} (softphone) and the softphone's
 * {@code /agent/config.json}. The HTML is static ({@code static/index.html}, {@code static/agent.html}); browsers
 * revalidate it on every load, so a new release is picked up at once.
 */
@RestController
class PagesController {

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private static final Resource DASHBOARD = new ClassPathResource("static/index.html");

	private static final Resource AGENT = new ClassPathResource("static/agent.html");

	private final AgentConfig agentConfig;

	PagesController(AgentConfig agentConfig) {
		this.agentConfig = agentConfig;
	}

	@GetMapping("/")
	ResponseEntity<Resource> dashboard() {
		return page(DASHBOARD);
	}

	@GetMapping("/agent")
	ResponseEntity<Resource> agent() {
		return page(AGENT);
	}

	@GetMapping(path = "/agent/config.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<AgentConfig> agentConfig() {
		return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(agentConfig);
	}

	private static ResponseEntity<Resource> page(Resource html) {
		return ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noCache()).body(html);
	}

}
