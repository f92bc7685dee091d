package org.signaling.api.call;

/**
 * One live channel on the PBX.
 *
 * @param channel its name ("PJSIP/5001-00000007")
 * @param uniqueId its Uniqueid (ours for an agent leg we originated)
 * @param linkedId the Uniqueid of the call it belongs to (ours for every leg of a call we originated)
 * @param state Asterisk's state text ("Ringing", "Up", ...)
 */
public record PbxChannel(String channel, String uniqueId, String linkedId, String state) {
}
