package org.signaling.api;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The package layout is the architecture: features (dn, call, genesys) own their ports, adapters (kamailio,
 * asterisk) implement them, and no module reaches into another's internals or forms a cycle. Each module's
 * {@code package-info.java} lists the modules it may use ({@code @ApplicationModule(allowedDependencies = ...)}),
 * so a feature that starts using an adapter fails here, e.g. "Module 'genesys' depends on module 'asterisk' via
 * ... Allowed targets: events, shared."
 */
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(SignalingApiApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		MODULES.verify();
	}

}
