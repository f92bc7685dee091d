package org.signaling.api.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class ScratchHarnessIT {

    @Test
    void ringingCancelUnregisterAnd404() {
        long t0 = System.nanoTime();
        try (KamailioProcess k = KamailioProcess.start("127.0.0.1:" + FreePorts.udp());
                Sipp sipp = new Sipp(k)) {
            System.out.printf("kamailio up %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            KamailioRpc rpc = k.rpc();
            Sipp.Agent ringing = sipp.ringingUas("5003");
            Sipp.Agent call = sipp.call("5001", "5003");
            JsonNode list = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> rpc.result("dlg.list"), l -> l.size() == 1 && l.get(0).path("state").asInt() == 2);
            String callId = list.get(0).path("call-id").asString();
            System.out.println("early dialog " + list.get(0));
            System.out.println("tm.cancel -> " + rpc.call("tm.cancel", callId, "1"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> call.countReceived("SIP/2.0 487") == 1);
            assertThat(call.awaitExit(Duration.ofSeconds(5))).isZero();
            assertThat(ringing.countReceived("CANCEL ")).isEqualTo(1);
            assertThat(ringing.countReceived("ACK ")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> rpc.result("dlg.list").isEmpty());
            System.out.println("dialog gone after cancel");

            // unregister while the UAS holds the port
            sipp.unregister("5003", ringing.port());
            assertThat(rpc.call("ul.lookup", "location", "5003")).contains("AOR not found");

            // call to an unregistered DN -> 404
            Sipp.Agent call404 = sipp.call("5001", "5999");
            assertThat(call404.awaitExit(Duration.ofSeconds(10))).isZero();
            assertThat(call404.countReceived("SIP/2.0 404")).isEqualTo(1);
            assertThat(rpc.result("dlg.list").isEmpty()).isTrue();

            // two calls at once into one UAS, both ended by end_dlg
            Sipp.Agent uas = sipp.agentUas("5002");
            Sipp.Agent c1 = sipp.call("5001", "5002");
            Sipp.Agent c2 = sipp.call("5004", "5002");
            JsonNode two = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> rpc.result("dlg.list"), l -> l.size() == 2
                            && l.get(0).path("state").asInt() == 4 && l.get(1).path("state").asInt() == 4);
            for (JsonNode d : two) {
                rpc.result("dlg.end_dlg", d.path("h_entry").asLong(), d.path("h_id").asLong());
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !c1.isAlive() && !c2.isAlive());
            System.out.println("callee BYEs " + uas.countReceived("BYE ") + " of 2");
            long stop0 = System.nanoTime();
            k.stop();
            System.out.printf("stop %d ms%n", (System.nanoTime() - stop0) / 1_000_000);
            long start0 = System.nanoTime();
            k.start();
            System.out.printf("restart %d ms%n", (System.nanoTime() - start0) / 1_000_000);
        }
    }
}
