package org.signaling.api.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.TestPropertySource;

/**
 * A {@code @WebMvcTest} of one feature controller over the real services and a {@link FakeSignalingState}; see
 * {@link FeatureTestConfiguration}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
@Import(FeatureTestConfiguration.class)
@TestPropertySource(properties = { "signaling.dn.directory=5001-5005", "signaling.genesys.server=192.168.210.81:5060" })
public @interface FeatureSliceTest {

	/** The controller under test. */
	@AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
	Class<?>[] value() default {};

}
