// Executed by ChromiumLoopbackIT (executeAsyncScript; the last argument is the callback): two RTCPeerConnections
// in one page, audio from the fake microphone both ways, no ICE servers, connected to each other. Reports every
// candidate (from the descriptions, exchanged once gathering completed), the selected pair and the bytes
// received once audio has flowed both ways (or an error).
const done = arguments[arguments.length - 1];
(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
  const caller = new RTCPeerConnection({ iceServers: [] });
  const callee = new RTCPeerConnection({ iceServers: [] });
  // no trickling: each side's description is exchanged once gathering has completed
  const gathered = (pc) =>
    new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') {
        resolve();
      } else {
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      }
    });
  const candidatesOf = (description) =>
    description.sdp.split('\r\n').filter((line) => line.startsWith('a=candidate:')).map((line) => line.slice(2));

  caller.addTrack(stream.getAudioTracks()[0], stream);
  await caller.setLocalDescription(await caller.createOffer());
  await gathered(caller);
  await callee.setRemoteDescription(caller.localDescription);
  const transceiver = callee.getTransceivers()[0];
  transceiver.direction = 'sendrecv';
  await transceiver.sender.replaceTrack(stream.getAudioTracks()[0].clone());
  await callee.setLocalDescription(await callee.createAnswer());
  await gathered(callee);
  await caller.setRemoteDescription(callee.localDescription);
  const candidates = [...candidatesOf(caller.localDescription), ...candidatesOf(callee.localDescription)];

  const stats = async (pc) => {
    const report = await pc.getStats();
    let received = 0;
    let pair = null;
    report.forEach((entry) => {
      if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
        received += entry.bytesReceived || 0;
      }
      if (entry.type === 'transport' && entry.selectedCandidatePairId) {
        const selected = report.get(entry.selectedCandidatePairId);
        const local = report.get(selected.localCandidateId);
        const remote = report.get(selected.remoteCandidateId);
        pair = {
          state: selected.state,
          local: `${local.address}:${local.port}/${local.protocol} ${local.candidateType}`,
          remote: `${remote.address}:${remote.port}/${remote.protocol} ${remote.candidateType}`,
        };
      }
    });
    return { received, pair };
  };
  const deadline = Date.now() + 8000;
  let a;
  let b;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    a = await stats(caller);
    b = await stats(callee);
    // Media can flow on a pair whose connectivity check has not completed yet ("in-progress"): wait for both.
  } while ((a.received === 0 || b.received === 0 || a.pair?.state !== 'succeeded' || b.pair?.state !== 'succeeded')
    && Date.now() < deadline);
  caller.close();
  callee.close();
  stream.getTracks().forEach((track) => track.stop());
  return { candidates, caller: a, callee: b };
})().then(done, (error) => done({ error: `${error.name}: ${error.message}` }));
