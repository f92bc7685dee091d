package org.signaling.api.asterisk.internal;

import java.util.List;

import org.asteriskjava.manager.action.AtxferAction;
import org.asteriskjava.manager.action.BridgeAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.MixMonitorAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.PlayDtmfAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.action.StopMixMonitorAction;
import org.asteriskjava.manager.response.ManagerResponse;
import org.asteriskjava.manager.response.MixMonitorResponse;
import org.jspecify.annotations.Nullable;
import org.signaling.api.asterisk.AsteriskProperties;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.MediaControl;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Grammar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@link MediaControl} over AMI. Channels are named by Uniqueid, never by a name or pattern, except ChanSpy's
 * argument (the agent leg's name, which ChanSpy matches as a prefix); every value is checked against its grammar
 * again here, so nothing unchecked reaches the wire. Each action goes to the node that carries the call.
 * <p>
 * Hold redirects the customer to {@code signaling-hold,customer,1} (music on hold) and the agent to
 * {@code signaling-hold,agent,1} (silence) in one {@code Redirect}; unhold bridges them again ({@code Bridge}). The
 * dialplan for it is in docs/asterisk.md. Asterisk files the start of a recording ({@code MixMonitor}) under the AMI
 * class {@code system}: the AMI user needs {@code write=system} for it (docs/asterisk.md); mute goes through
 * {@code Setvar} of {@code MUTEAUDIO()}, class {@code call}.
 */
@Component
class AmiMediaControl implements MediaControl {

	/** The dialplan context of held legs: exten "customer" plays music on hold, "agent" waits in silence. */
	static final String HOLD_CONTEXT = "signaling-hold";

	/** The channel variable MixMonitor keeps its id in. */
	static final String MIXMONITOR_ID_VARIABLE = "SIGNALING_MIXMONITOR_ID";

	private static final Logger log = LoggerFactory.getLogger(AmiMediaControl.class);

	private final AmiPbx pbx;

	private final AsteriskProperties properties;

	AmiMediaControl(AmiPbx pbx, AsteriskProperties properties) {
		this.pbx = pbx;
		this.properties = properties;
	}

	@Override
	public void hold(Legs legs) {
		RedirectAction redirect = new RedirectAction();
		redirect.setChannel(uniqueId(legs.customerUniqueId()));
		redirect.setContext(HOLD_CONTEXT);
		redirect.setExten("customer");
		redirect.setPriority(1);
		redirect.setExtraChannel(uniqueId(legs.agentUniqueId()));
		redirect.setExtraContext(HOLD_CONTEXT);
		redirect.setExtraExten("agent");
		redirect.setExtraPriority(1);
		send(legs.node(), redirect, "hold");
	}

	@Override
	public void unhold(Legs legs) {
		send(legs.node(), new BridgeAction(uniqueId(legs.agentUniqueId()), uniqueId(legs.customerUniqueId()), false),
				"unhold");
	}

	@Override
	public void dtmf(Legs legs, char digit, int durationMs) {
		if ("0123456789*#ABCD".indexOf(digit) < 0 || durationMs < 1 || durationMs > 10_000) {
			throw new IllegalArgumentException("digit or duration outside its grammar");
		}
		PlayDtmfAction play = new PlayDtmfAction(uniqueId(legs.customerUniqueId()), String.valueOf(digit));
		play.setDuration(durationMs);
		send(legs.node(), play, "DTMF");
	}

	/**
	 * Through the dialplan function {@code MUTEAUDIO(direction)} written with {@code Setvar}, which needs only
	 * {@code write=call}; the {@code MuteAudio} action does the same under {@code write=system}.
	 */
	@Override
	public void mute(Legs legs, String direction, boolean on) {
		if (!direction.equals("in") && !direction.equals("out") && !direction.equals("all")) {
			throw new IllegalArgumentException("direction outside its grammar");
		}
		send(legs.node(), new SetVarAction(uniqueId(legs.agentUniqueId()), "MUTEAUDIO(" + direction + ")",
				on ? "on" : "off"), "mute");
	}

	@Override
	public String startRecording(Legs legs, String file) {
		if (!file.matches("rec-[0-9a-f]{32}\\.wav")) {
			throw new IllegalArgumentException("file outside its grammar");
		}
		MixMonitorAction record = new MixMonitorAction();
		record.setChannel(uniqueId(legs.agentUniqueId()));
		record.setFile(file);
		// i(var): Asterisk answers with the MixMonitorID only when asked to keep it in a channel variable
		record.setOptions("i(" + MIXMONITOR_ID_VARIABLE + ")");
		ManagerResponse response = send(legs.node(), record, "recording");
		String id = (response instanceof MixMonitorResponse started) ? started.getMixMonitorId()
				: response.getAttribute("mixmonitorid");
		return (id != null && AmiPbx.UNIQUE_ID.matcher(id).matches()) ? id : "";
	}

	@Override
	public void stopRecording(Legs legs, String mixMonitorId) {
		StopMixMonitorAction stop = new StopMixMonitorAction();
		stop.setChannel(uniqueId(legs.agentUniqueId()));
		if (!mixMonitorId.isEmpty()) {
			stop.setMixMonitorId(uniqueId(mixMonitorId));
		}
		send(legs.node(), stop, "stop recording");
	}

	@Override
	public void pauseRecording(Legs legs, boolean paused) {
		send(legs.node(), new ActionsWithoutClass.MixMonitorMute(uniqueId(legs.agentUniqueId()), paused),
				paused ? "pause recording" : "resume recording");
	}

	@Override
	public void blindTransfer(Legs legs, String to) {
		send(legs.node(), new ActionsWithoutClass.BlindTransfer(uniqueId(legs.agentUniqueId()), destination(to),
				properties.originateContext()), "blind transfer");
	}

	@Override
	public void attendedTransfer(Legs legs, String to) {
		AtxferAction transfer = new AtxferAction();
		transfer.setChannel(uniqueId(legs.agentUniqueId()));
		transfer.setExten(destination(to));
		transfer.setContext(properties.originateContext());
		send(legs.node(), transfer, "attended transfer");
	}

	@Override
	public void cancelAttendedTransfer(Legs legs) {
		send(legs.node(), new ActionsWithoutClass.CancelAtxfer(uniqueId(legs.agentUniqueId())), "transfer cancel");
	}

	@Override
	public void completeAttendedTransfer(Legs legs) {
		// Asterisk completes an attended transfer when the transferer hangs up.
		send(legs.node(), new HangupAction(uniqueId(legs.agentUniqueId()), AmiPbx.NORMAL_CLEARING),
				"transfer completion");
	}

	@Override
	public void monitor(Legs legs, String monitorId, String supervisorDn, MonitorMode mode) {
		if (!CallIds.isMonitorId(monitorId) || !Grammar.isDn(supervisorDn)) {
			throw new IllegalArgumentException("monitor id or supervisor DN outside its grammar");
		}
		String spied = legs.agentChannel();
		if (!AmiPbx.PLAIN_CHANNEL.matcher(spied).matches() || spied.indexOf('/') <= 0) {
			throw new IllegalArgumentException("agent channel is not a plain channel name");
		}
		String channel = properties.agentChannelFor(supervisorDn);
		if (!AsteriskProperties.isSafeChannel(channel)) {
			throw new IllegalArgumentException("supervisor channel is not a plain dial string");
		}
		OriginateAction originate = new OriginateAction();
		originate.setActionId(monitorId);
		originate.setAsync(true);
		originate.setChannel(channel);
		originate.setChannelId(monitorId);
		originate.setApplication("ChanSpy");
		// q: no beep; d: DTMF 4/5/6 switch mode (PATCH); E: leave when the agent's leg hangs up
		originate.setData(spied + "," + spyOptions(mode));
		originate.setTimeout(30_000L);
		originate.setCallerId("\"Monitor\" <" + supervisorDn + ">");
		send(legs.node(), originate, "monitor");
		log.info("Monitor {} of call {} rings supervisor {} ({})", monitorId, legs.agentUniqueId(), supervisorDn,
				mode);
	}

	@Override
	public void monitorMode(@Nullable String node, String monitorId, MonitorMode mode) {
		// ChanSpy's d option: 4 spy, 5 whisper, 6 barge, as if the supervisor pressed it
		String digit = switch (mode) {
			case LISTEN -> "4";
			case WHISPER -> "5";
			case BARGE -> "6";
		};
		PlayDtmfAction press = new PlayDtmfAction(uniqueId(monitorId), digit);
		press.setReceive(true);
		send(node, press, "monitor mode");
	}

	@Override
	public void endMonitor(@Nullable String node, String monitorId) {
		try {
			send(node, new HangupAction(uniqueId(monitorId), AmiPbx.NORMAL_CLEARING), "monitor end");
		}
		catch (PbxRejectedException ex) {
			// the supervisor's leg is already gone: the monitor has ended
			log.info("Monitor {} had no leg left to hang up: {}", monitorId, ex.getMessage());
		}
	}

	static String spyOptions(MonitorMode mode) {
		return switch (mode) {
			case LISTEN -> "qdE";
			case WHISPER -> "qdEw";
			case BARGE -> "qdEB";
		};
	}

	/**
	 * Sends to the call's node (every node when unknown, until one accepts).
	 * @throws PbxRejectedException 502 with Asterisk's reason when it refuses
	 * @throws BackendUnavailableException 503 when the node is away
	 */
	private ManagerResponse send(@Nullable String node, ManagerAction action, String what) {
		RuntimeException failure = null;
		List<AmiConnection> nodes = pbx.nodesFor(node);
		for (AmiConnection target : nodes) {
			try {
				ManagerResponse response = pbx.send(target, action);
				if (AmiPbx.isSuccess(response)) {
					return response;
				}
				failure = new PbxRejectedException(AmiPbx.messageOr(response, "Asterisk refused the " + what));
			}
			catch (BackendUnavailableException ex) {
				failure = ex;
			}
		}
		throw (failure != null) ? failure : new PbxRejectedException("Asterisk refused the " + what);
	}

	private static String uniqueId(String value) {
		AmiPbx.requireMatch("uniqueId", value, AmiPbx.UNIQUE_ID.asMatchPredicate());
		return value;
	}

	private static String destination(String to) {
		AmiPbx.requireMatch("to", to, Grammar::isDestination);
		return to;
	}

}
