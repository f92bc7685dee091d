"""Reads `jfr print --json --events jdk.ExecutionSample` on stdin; prints the hottest frames of the request threads
(Tomcat's https-jsse-nio-* workers): by self time (top of the stack), and the project's and the frameworks' frames
anywhere on it."""
import json
import sys
from collections import Counter

top = int(sys.argv[1]) if len(sys.argv) > 1 else 15
events = json.load(sys.stdin)["recording"]["events"]
self_time, own, framework, layers, samples = Counter(), Counter(), Counter(), Counter(), 0
LAYERS = [("TLS and digests", ("sun.security.", "com.sun.crypto.", "javax.crypto.")),
          ("the project", ("org.signaling.",)), ("Spring Security", ("org.springframework.security.",)),
          ("Spring MVC and Boot", ("org.springframework.",)), ("Tomcat", ("org.apache.",)),
          ("Micrometer", ("io.micrometer.",)), ("Jackson", ("tools.jackson.", "com.fasterxml.")),
          ("logging", ("ch.qos.", "org.slf4j."))]
JDK = ("java.", "jdk.", "sun.")


def layer(frames):
    """The code a sample is spent for: the first frame from the top outside the JDK's plain library (crypto counts
    as TLS wherever it is)."""
    for frame in frames:
        n = name(frame)
        for label, prefixes in LAYERS:
            if n.startswith(prefixes):
                return label
        if not n.startswith(JDK):
            return "other"
    return "JDK only"


def name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


for event in events:
    values = event["values"]
    thread = (values.get("sampledThread") or {}).get("javaName") or ""
    if "nio" not in thread or "exec" not in thread:
        continue
    frames = (values.get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    samples += 1
    self_time[name(frames[0])] += 1
    layers[layer(frames)] += 1
    seen = set()
    for frame in frames:
        n = name(frame)
        if n in seen:
            continue
        seen.add(n)
        if n.startswith("org.signaling."):
            own[n] += 1
        elif n.startswith(("org.springframework.", "org.apache.", "io.micrometer.", "io.opentelemetry.")):
            framework[n] += 1

print(f"{samples} samples on request threads")
print("by layer (the first non-JDK frame from the top):")
for label, count in layers.most_common():
    print(f"  {100 * count / max(samples, 1):5.1f}%  {label}")
print("self time:")
for frame, count in self_time.most_common(top):
    print(f"  {100 * count / max(samples, 1):5.1f}%  {frame}")
print("project frames anywhere on the stack:")
for frame, count in own.most_common(top):
    print(f"  {100 * count / max(samples, 1):5.1f}%  {frame}")
print("framework frames anywhere on the stack (JFR keeps the top 64 frames of each sample):")
for frame, count in framework.most_common(top):
    print(f"  {100 * count / max(samples, 1):5.1f}%  {frame}")
