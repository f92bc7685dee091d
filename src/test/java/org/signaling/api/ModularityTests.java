package org.signaling.api;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

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

	@Test
	void writesTheModuleDiagram() {
		// target/spring-modulith-docs: the module diagram the README's architecture section describes.
		new Documenter(MODULES).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
	}

}
