package org.signaling.api.shared;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code @GetMapping} controller method that answers from memory with a {@link ReadyAnswer}: a GET of it is
 * answered right after the security filters, without Spring MVC's dispatch (module web, ReadyReadFilter). The
 * controller stays the one home of the endpoint (its path, its parameters, its documentation), and its errors are
 * handled by the same exception handlers as any endpoint's. Its parameters may only be path variables and request
 * parameters.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReadyRead {

	/**
	 * Whether the answer is {@link ReadyJson} bytes (an ETag, 304s, a gzip form), as the API document says; false for
	 * a small value serialized per request ({@link ReadyAnswer#perRequest}).
	 */
	boolean conditional() default true;

}
