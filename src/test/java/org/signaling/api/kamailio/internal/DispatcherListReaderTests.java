package org.signaling.api.kamailio.internal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.signaling.api.genesys.ProbeTarget;

import static org.assertj.core.api.Assertions.assertThat;

class DispatcherListReaderTests {

	private final DispatcherListReader reader = new DispatcherListReader();

	@Test
	void readsActiveProbedTarget() {
		Map<Integer, List<ProbeTarget>> sets = reader.read(KamailioFixtures.result("dispatcher.list-up.json"));

		assertThat(sets).containsOnlyKeys(1);
		assertThat(sets.get(1)).containsExactly(new ProbeTarget("sip:127.0.0.1:5090", "AP"));
	}

	@Test
	void readsInactiveTargetAfterProbesTimeOut() {
		Map<Integer, List<ProbeTarget>> sets = reader.read(KamailioFixtures.result("dispatcher.list-down.json"));

		assertThat(sets.get(1)).extracting(ProbeTarget::flags).containsExactly("IP");
	}

	@Test
	void readsNotYetProbedTarget() {
		Map<Integer, List<ProbeTarget>> sets = reader
			.read(KamailioFixtures.result("dispatcher.list-initial-before-first-probe.json"));

		assertThat(sets.get(1)).extracting(ProbeTarget::flags).containsExactly("AX");
	}

	@Test
	void readsNoSets() {
		assertThat(reader.read(KamailioFixtures.JSON.readTree("{\"NRSETS\":0}"))).isEmpty();
	}

}
