package org.signaling.api.web;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Swaps Tomcat's HTML error report for {@link JsonErrorReportValve} once the server is up. */
@Component
class TomcatErrorPages implements ApplicationListener<WebServerInitializedEvent> {

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (!(event.getWebServer() instanceof TomcatWebServer tomcat)) {
			return;
		}
		Host host = tomcat.getTomcat().getHost();
		for (Valve valve : host.getPipeline().getValves()) {
			if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
				host.getPipeline().removeValve(valve);
				host.getPipeline().addValve(new JsonErrorReportValve());
			}
		}
	}

}
