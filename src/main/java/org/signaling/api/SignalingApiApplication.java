package org.signaling.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * REST API over the contact center's signaling plane: Kamailio (registrations, dialogs, Genesys probing)
 * and Asterisk (call control).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Modulithic(sharedModules = "shared")
public class SignalingApiApplication {

	public static void main(String[] args) {
		SpringApplication.run(SignalingApiApplication.class, args);
	}

}
