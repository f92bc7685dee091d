package org.signaling.api;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * config/application.yml, the production example, documents every property of every
 * {@code @ConfigurationProperties} record of the service: set, or commented out ({@code # key: value}) at its place
 * in the tree. A property added to a record without being documented there fails here. Secrets are never set in it.
 */
class ProductionConfigurationTests {

	private static final String FILE = "config/application.yml";

	/**
	 * A commented-out key ({@code # key: ...} or {@code # - key: ...}), possibly commented again inside a
	 * commented-out block ({@code #   # key: ...}). Prose comments ({@code # Capital...}, {@code # e.g. ...}) do not
	 * match.
	 */
	private static final Pattern COMMENTED_KEY = Pattern
		.compile("^(\\s*)# ?(\\s*(?:# ?\\s*)*(?:- )?[a-z0-9][a-z0-9-]*:(?:\\s.*)?)$");

	/** Boot-level properties the production example must show, beside the service's own. */
	private static final List<String> BOOT_PROPERTIES = List.of("server.port", "server.ssl.enabled",
			"server.ssl.key-store", "server.ssl.key-store-type", "server.ssl.key-store-password",
			"spring.datasource.url", "spring.datasource.username", "spring.datasource.password");

	/**
	 * Keys whose values are secrets: commented out or an environment placeholder ({@code ${NAME}}, or {@code ${NAME:}}
	 * for one that may be unset), never set.
	 */
	private static final Set<String> SECRET_KEYS = Set.of("password", "key-store-password", "hs256-secret", "secret");

	private static List<Class<?>> propertiesClasses;

	private static String text;

	@BeforeAll
	static void load() throws IOException {
		text = Files.readString(Path.of(System.getProperty("project.basedir", ".")).resolve(FILE));
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		propertiesClasses = new ArrayList<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents("org.signaling.api")) {
			propertiesClasses.add(ClassUtils.resolveClassName(candidate.getBeanClassName(), null));
		}
	}

	@Test
	void everyPropertiesRecordIsFound() {
		// Guards the scan: the walk below is only as complete as the list of classes it walks.
		assertThat(propertiesClasses.stream().map(Class::getSimpleName)).contains("AsteriskProperties",
				"CallsProperties", "DnProperties", "EventsProperties", "GenesysProperties", "KamailioProperties",
				"PagesProperties", "ApiSecurityProperties", "ApiProperties", "WebhookProperties", "SipAuthProperties");
		assertThat(propertiesClasses).allSatisfy((type) -> assertThat(type.isRecord())
			.as("%s is a record (the walk reads record components)", type.getName())
			.isTrue());
	}

	@Test
	void documentsEveryPropertyOfEveryPropertiesRecord() {
		Object documented = new Yaml().load(uncommented(text));
		List<String> paths = new ArrayList<>();
		for (Class<?> type : propertiesClasses) {
			String prefix = MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix");
			walk(type, prefix, paths, new HashSet<>());
		}
		assertThat(paths).as("properties found in the records").hasSizeGreaterThan(60);

		List<String> missing = paths.stream().filter((path) -> !isPresent(documented, segments(path))).toList();
		assertThat(missing).as("properties not documented in %s (set, or commented out as '# key: default')", FILE)
			.isEmpty();
	}

	@Test
	void documentsTheBootPropertiesProductionSets() {
		Object documented = new Yaml().load(uncommented(text));
		assertThat(BOOT_PROPERTIES.stream().filter((path) -> !isPresent(documented, segments(path))).toList())
			.as("Boot properties not documented in %s", FILE)
			.isEmpty();
	}

	@Test
	void setsNoSecret() {
		Object set = new Yaml().load(text);
		List<String> secrets = new ArrayList<>();
		collectSetSecrets(set, "", secrets);
		assertThat(secrets).as("secrets set in %s instead of coming from the environment", FILE).isEmpty();
	}

	@Test
	void everyPropertiesRecordBindsAndValidatesFromIt() throws IOException {
		// ConfigurationFilesTests checks some records in detail; here every one, with the secrets a deployment passes
		// through the environment.
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("secrets",
					Map.of("signaling.asterisk.password", "from-the-environment", "server.ssl.key-store-password",
							"from-the-environment", "spring.datasource.password", "from-the-environment")));
		new YamlPropertySourceLoader().load(FILE, new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)))
			.forEach(environment.getPropertySources()::addLast);
		Binder binder = Binder.get(environment);
		LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
		for (Class<?> type : propertiesClasses) {
			String prefix = MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix");
			assertThat(binder.bindOrCreate(prefix, Bindable.of(type), new ValidationBindHandler(validator)))
				.as(prefix)
				.isNotNull();
		}
		assertThat(binder.bind("signaling.calls.originator", String.class).get()).isEqualTo("asterisk");
		assertThat(binder.bind("signaling.pages.websocket-url", String.class).get()).startsWith("wss://");
		assertThat(binder.bind("spring.datasource.url", String.class).get()).startsWith("jdbc:postgresql://");
		assertThat(binder.bind("server.ssl.key-store", String.class).get())
			.isEqualTo("file:/etc/signaling-api/tls/keystore.p12");
	}

	/** The record's properties: kebab-case paths; list and map elements of records as {@code []} and {@code *}. */
	private static void walk(Class<?> type, String prefix, List<String> paths, Set<Class<?>> visiting) {
		if (!visiting.add(type)) {
			return;
		}
		for (RecordComponent component : type.getRecordComponents()) {
			String path = prefix + "." + propertyName(component);
			Class<?> nested = recordType(component.getGenericType());
			if (nested != null) {
				walk(nested, path + suffix(component.getType()), paths, visiting);
			}
			else {
				paths.add(path);
			}
		}
		visiting.remove(type);
	}

	private static String propertyName(RecordComponent component) {
		Name name = component.getAnnotation(Name.class);
		if (name == null && component.getAccessor() != null) {
			name = component.getAccessor().getAnnotation(Name.class);
		}
		return DataObjectPropertyName.toDashedForm((name != null) ? name.value() : component.getName());
	}

	private static String suffix(Class<?> type) {
		if (Collection.class.isAssignableFrom(type)) {
			return ".[]";
		}
		return Map.class.isAssignableFrom(type) ? ".*" : "";
	}

	/** The record a component is, or holds as list/set element or map value; null for anything else (a leaf). */
	private static Class<?> recordType(Type type) {
		if (type instanceof Class<?> plain) {
			return plain.isRecord() ? plain : null;
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
			Type[] arguments = parameterized.getActualTypeArguments();
			if (Collection.class.isAssignableFrom(raw)) {
				return recordType(arguments[0]);
			}
			if (Map.class.isAssignableFrom(raw)) {
				return recordType(arguments[1]);
			}
		}
		return null;
	}

	private static List<String> segments(String path) {
		return List.of(path.split("\\."));
	}

	/** Whether the path is in the tree: {@code []} matches any list element, {@code *} any map value. */
	private static boolean isPresent(Object node, List<String> segments) {
		if (segments.isEmpty()) {
			return true;
		}
		String head = segments.get(0);
		List<String> rest = segments.subList(1, segments.size());
		if ("[]".equals(head)) {
			return node instanceof List<?> list && list.stream().anyMatch((element) -> isPresent(element, rest));
		}
		if (!(node instanceof Map<?, ?> map)) {
			return false;
		}
		if ("*".equals(head)) {
			return map.values().stream().anyMatch((value) -> isPresent(value, rest));
		}
		return map.containsKey(head) && isPresent(map.get(head), rest);
	}

	/**
	 * The file with every commented-out key uncommented in place ({@code    # key: v} becomes {@code    key: v}),
	 * repeatedly, so a key commented inside a commented-out block counts too. Prose comments start with a capital
	 * letter or are not {@code word:}, and stay comments.
	 */
	static String uncommented(String yaml) {
		return yaml.lines().map(ProductionConfigurationTests::uncommentLine).collect(Collectors.joining("\n"));
	}

	private static String uncommentLine(String line) {
		String current = line;
		while (true) {
			Matcher matcher = COMMENTED_KEY.matcher(current);
			if (!matcher.matches()) {
				return current;
			}
			current = matcher.group(1) + matcher.group(2);
		}
	}

	private static void collectSetSecrets(Object node, String path, List<String> secrets) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				String child = path.isEmpty() ? String.valueOf(key) : path + "." + key;
				if (SECRET_KEYS.contains(String.valueOf(key)) && value != null && !String.valueOf(value).isEmpty()
						&& !String.valueOf(value).matches("\\$\\{[A-Za-z0-9_.]+:?}")) {
					secrets.add(child);
				}
				collectSetSecrets(value, child, secrets);
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach((element) -> collectSetSecrets(element, path + ".[]", secrets));
		}
	}

}
