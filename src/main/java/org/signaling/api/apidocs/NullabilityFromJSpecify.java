package org.signaling.api.apidocs;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.util.ClassUtils;

/**
 * Required and nullable members from the code's own null contract: the API's records live in {@code @NullMarked}
 * packages, so a component without {@code @Nullable} is always present and never null (required), and one with it
 * may be null (its type gains {@code "null"}). Without this, the document would call every member optional and
 * non-null, which is wrong both ways for clients generated from it.
 */
class NullabilityFromJSpecify implements OpenApiCustomizer {

	private static final String BASE_PACKAGE = "org.signaling.api";

	@Override
	@SuppressWarnings("rawtypes")
	public void customise(OpenAPI openApi) {
		Map<String, Schema> schemas = openApi.getComponents().getSchemas();
		if (schemas == null) {
			return;
		}
		// scanned here, when the document is first asked for (springdoc then caches it), not at start-up
		Map<String, Class<?>> recordsBySimpleName = recordsBySimpleName();
		schemas.forEach((name, schema) -> {
			Class<?> type = recordsBySimpleName.get(name);
			if (type != null && schema.getProperties() != null) {
				apply(type, schema);
			}
		});
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void apply(Class<?> type, Schema schema) {
		Map<String, Schema> properties = schema.getProperties();
		List<String> required = new ArrayList<>();
		for (RecordComponent component : type.getRecordComponents()) {
			String name = jsonName(component);
			Schema property = properties.get(name);
			if (property == null) {
				continue;
			}
			if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
				properties.put(name, nullable(property));
			}
			else {
				required.add(name);
			}
		}
		schema.setRequired(required.isEmpty() ? null : required);
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema nullable(Schema property) {
		if (property.get$ref() != null) {
			// a $ref has no type to widen: one of the referenced object or null
			return new Schema()
				.oneOf(List.of(new Schema().$ref(property.get$ref()), new Schema().types(Set.of("null"))));
		}
		Set<String> types = new LinkedHashSet<>();
		if (property.getTypes() != null) {
			types.addAll(property.getTypes());
		}
		else if (property.getType() != null) {
			types.add(property.getType());
		}
		types.add("null");
		property.setTypes(types);
		return property;
	}

	private static String jsonName(RecordComponent component) {
		JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
		if (renamed == null) {
			renamed = component.getAnnotation(JsonProperty.class);
		}
		return (renamed != null && !renamed.value().isEmpty()) ? renamed.value() : component.getName();
	}

	/** The application's records by simple name, as springdoc names their schemas; ambiguous names are left out. */
	private static Map<String, Class<?>> recordsBySimpleName() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {

			@Override
			protected boolean isCandidateComponent(
					AnnotatedBeanDefinition definition) {
				return true;
			}

		};
		scanner.addIncludeFilter(
				(reader, factory) -> "java.lang.Record".equals(reader.getClassMetadata().getSuperClassName()));
		Map<String, Class<?>> found = new HashMap<>();
		Set<String> ambiguous = new LinkedHashSet<>();
		Map<String, Class<?>> named = new HashMap<>();
		for (BeanDefinition definition : scanner.findCandidateComponents(BASE_PACKAGE)) {
			Class<?> type = ClassUtils.resolveClassName(definition.getBeanClassName(),
					NullabilityFromJSpecify.class.getClassLoader());
			io.swagger.v3.oas.annotations.media.Schema schema = type
				.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
			if (schema != null && !schema.name().isEmpty()) {
				// published under the name given: that name is this record's, whatever other record bears it
				named.put(schema.name(), type);
			}
			else if (found.putIfAbsent(type.getSimpleName(), type) != null) {
				ambiguous.add(type.getSimpleName());
			}
		}
		ambiguous.forEach(found::remove);
		found.putAll(named);
		return found;
	}

}
