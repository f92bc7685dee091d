package org.signaling.api;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The package layout is the architecture: features (dn, call, genesys) own their ports, adapters (kamailio,
 * asterisk) implement them, and no module reaches into another's internals or forms a cycle.
 */
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(SignalingApiApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		MODULES.verify();
	}

}
