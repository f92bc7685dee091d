package org.signaling.api.call;

import java.util.List;

import org.signaling.api.call.internal.CallRegistry;
import org.signaling.api.call.internal.IdempotencyKeys;
import org.signaling.api.dn.DnService;
import org.signaling.api.shared.ChildSpans;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What places calls, as {@code signaling.calls.originator} says: Asterisk (the default) or Kamailio. */
@Configuration(proxyBeanMethods = false)
class CallControlConfiguration {

	private static final String ORIGINATOR = "signaling.calls.originator";

	/** Asterisk places calls with an AMI Originate: the PBX the service ends and reconciles calls with. */
	@Bean
	@ConditionalOnProperty(name = ORIGINATOR, havingValue = CallOriginator.ASTERISK, matchIfMissing = true)
	CallControlService asteriskPlacesCalls(MakeCallValidator validator, IdempotencyKeys idempotencyKeys,
			DnService dnService, CallRegistry registry, Pbx pbx, ChildSpans spans) {
		return new CallControlService(validator, idempotencyKeys, dnService, registry, pbx, spans);
	}

	/** Kamailio places calls with its click-to-dial ({@code dlg.bridge_dlg}), no PBX. */
	@Bean
	@ConditionalOnProperty(name = ORIGINATOR, havingValue = CallOriginator.KAMAILIO)
	CallControlService kamailioPlacesCalls(MakeCallValidator validator, IdempotencyKeys idempotencyKeys,
			DnService dnService, CallRegistry registry, List<CallOriginator> originators, ChildSpans spans) {
		List<CallOriginator> kamailio = originators.stream()
			.filter((candidate) -> CallOriginator.KAMAILIO.equals(candidate.name()))
			.toList();
		if (kamailio.size() != 1) {
			throw new IllegalStateException(ORIGINATOR + "=kamailio: expected one Kamailio call originator, found "
					+ kamailio.size());
		}
		return new CallControlService(validator, idempotencyKeys, dnService, registry, kamailio.get(0), spans);
	}

}
