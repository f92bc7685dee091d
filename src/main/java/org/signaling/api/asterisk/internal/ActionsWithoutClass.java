package org.signaling.api.asterisk.internal;

import org.asteriskjava.manager.action.AbstractManagerAction;

/**
 * AMI actions asterisk-java 3.42 has no class for (asterisk-ami.md: "use a small subclass of AbstractManagerAction").
 * asterisk-java writes each getter as a field; the classes are public because it calls them by reflection.
 */
public final class ActionsWithoutClass {

	private ActionsWithoutClass() {
	}

	/** {@code BlindTransfer}: the transferer ({@code Channel}) leaves, its peer goes to {@code Exten@Context}. */
	public static final class BlindTransfer extends AbstractManagerAction {

		private static final long serialVersionUID = 1L;

		private final String channel;

		private final String exten;

		private final String context;

		BlindTransfer(String channel, String exten, String context) {
			this.channel = channel;
			this.exten = exten;
			this.context = context;
		}

		@Override
		public String getAction() {
			return "BlindTransfer";
		}

		public String getChannel() {
			return channel;
		}

		public String getExten() {
			return exten;
		}

		public String getContext() {
			return context;
		}

	}

	/** {@code CancelAtxfer}: the attended transfer {@code Channel} started is aborted. */
	public static final class CancelAtxfer extends AbstractManagerAction {

		private static final long serialVersionUID = 1L;

		private final String channel;

		CancelAtxfer(String channel) {
			this.channel = channel;
		}

		@Override
		public String getAction() {
			return "CancelAtxfer";
		}

		public String getChannel() {
			return channel;
		}

	}

	/** {@code MixMonitorMute}: a running recording of {@code Channel} writes silence ({@code State: 1}) or audio. */
	public static final class MixMonitorMute extends AbstractManagerAction {

		private static final long serialVersionUID = 1L;

		private final String channel;

		private final String state;

		MixMonitorMute(String channel, boolean muted) {
			this.channel = channel;
			this.state = muted ? "1" : "0";
		}

		@Override
		public String getAction() {
			return "MixMonitorMute";
		}

		public String getChannel() {
			return channel;
		}

		/** Both parties: what the agent says and what it hears. */
		public String getDirection() {
			return "both";
		}

		public String getState() {
			return state;
		}

	}

}
