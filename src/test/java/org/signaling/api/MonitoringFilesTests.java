package org.signaling.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard ({@code docs/grafana/signaling-api.json}) and the alert rules ({@code docs/prometheus/alerts.yml})
 * name only metrics the service exposes: every metric of every PromQL expression in them is in a scrape of the
 * running service right after its start, before anything happened. A counter an alert watches with
 * {@code increase()} must be there at 0, or the alert never sees its first event. The backends are configured (so
 * their per-node gauges exist, as in production) but unreachable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.enabled=false", "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
				"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
				"signaling.kamailio.evapi-address=127.0.0.1:9", "signaling.asterisk.host=127.0.0.1",
				"signaling.asterisk.port=9", "signaling.asterisk.username=monitoring",
				"signaling.asterisk.password=monitoring" })
class MonitoringFilesTests {

	static final Path DASHBOARD = Path.of("docs/grafana/signaling-api.json");

	static final Path ALERTS = Path.of("docs/prometheus/alerts.yml");

	/** Series Prometheus adds to every target itself: not in the service's scrape. */
	static final Set<String> PROMETHEUS_OWN = Set.of("up");

	/** PromQL's functions and aggregations (Prometheus 2.x and 3.x): followed by a parenthesis. */
	static final Set<String> FUNCTIONS = Set.of("abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh",
			"atan", "atanh", "avg", "avg_over_time", "bottomk", "ceil", "changes", "clamp", "clamp_max", "clamp_min",
			"cos", "cosh", "count", "count_over_time", "count_values", "day_of_month", "day_of_week", "day_of_year",
			"days_in_month", "deg", "delta", "deriv", "double_exponential_smoothing", "end", "exp", "floor", "group",
			"histogram_avg", "histogram_count", "histogram_fraction", "histogram_quantile", "histogram_stddev",
			"histogram_stdvar", "histogram_sum", "holt_winters", "hour", "idelta", "increase", "info", "irate",
			"label_join", "label_replace", "last_over_time", "limit_ratio", "limitk", "ln", "log10", "log2",
			"mad_over_time", "max", "max_over_time", "min", "min_over_time", "minute", "month", "pi",
			"predict_linear", "present_over_time", "quantile", "quantile_over_time", "rad", "rate", "resets", "round",
			"scalar", "sgn", "sin", "sinh", "sort", "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt",
			"start", "stddev", "stddev_over_time", "stdvar", "stdvar_over_time", "sum", "sum_over_time", "tan",
			"tanh", "time", "timestamp", "topk", "vector", "year");

	/** PromQL's other words; {@code inf} and {@code nan} in any case. */
	static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
			"ignoring", "group_left", "group_right", "inf", "nan");

	/** String literals: label values, label_replace's arguments, Grafana variables quoted in matchers. */
	static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

	/** Label matchers (strings already gone), ranges and subqueries ({@code [5m]}, {@code [$__rate_interval]}). */
	static final Pattern MATCHERS_AND_RANGES = Pattern.compile("\\{[^}]*\\}|\\[[^\\]]*\\]");

	/** Label lists: {@code by (...)}, {@code on (...)}, {@code group_left (...)}, ... */
	static final Pattern LABEL_LISTS = Pattern
		.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	/** {@code offset 5m}, {@code @ 1700000000}: their operands look like names or numbers. */
	static final Pattern MODIFIERS = Pattern.compile("\\boffset\\s+-?[\\w.]+|@\\s*-?[\\d.]+");

	/** A name not inside a number ({@code 1e3}) or a Grafana variable ({@code $instance}), and whether a call. */
	static final Pattern NAME = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][\\w:]*)(\\s*\\()?");

	static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\s*\\)");

	static final Pattern SERIES = Pattern.compile("^[a-zA-Z_:][\\w:]*");

	@LocalServerPort
	int port;

	@Autowired
	KamailioProperties kamailio;

	final HttpClient http = HttpClient.newHttpClient();

	@Test
	void everyMetricTheDashboardAndTheAlertsNameIsInAScrapeOfTheService() throws IOException {
		// Prometheus scrapes again and again: from its second scrape on, its own requests are in
		// http_server_requests (recorded once an answer is out).
		String scrape = await().atMost(Duration.ofSeconds(10))
			.until(this::scrape, (text) -> text.contains("\nhttp_server_requests_seconds_count{"));
		Set<String> scraped = seriesNames(scrape);

		List<String> expressions = new ArrayList<>(dashboardExpressions());
		expressions.addAll(alertExpressions());
		Map<String, List<String>> missing = new TreeMap<>();
		for (String expression : expressions) {
			for (String name : metricNames(expression)) {
				if (!scraped.contains(name) && !PROMETHEUS_OWN.contains(name)) {
					missing.computeIfAbsent(name, (key) -> new ArrayList<>()).add(expression);
				}
			}
		}

		assertThat(expressions).hasSizeGreaterThan(20);
		assertThat(missing).as("metrics not in a fresh scrape of the service, with the expressions naming them")
			.isEmpty();
	}

	@Test
	void theDashboardIsGrafanaJsonWithADatasourceAndAnInstanceVariable() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());

		assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
		assertThat(dashboard.path("templating").path("list").valueStream().map((variable) -> variable.path("name")
			.asString())).contains("datasource", "instance");
		List<JsonNode> panels = new ArrayList<>();
		collectPanels(dashboard, panels);
		assertThat(panels).allSatisfy((panel) -> {
			assertThat(panel.path("title").asString()).isNotBlank();
			assertThat(panel.path("gridPos").path("w").asInt()).isPositive();
			if (!"row".equals(panel.path("type").asString())) {
				assertThat(panel.path("targets").valueStream().map((target) -> target.path("expr").asString()))
					.isNotEmpty()
					.allMatch((expr) -> !expr.isBlank());
			}
		});
		assertThat(panels.stream().map((panel) -> panel.path("id").asInt())).doesNotHaveDuplicates();
	}

	@Test
	void everyAlertHasASeverityASummaryAndADescription() throws IOException {
		List<JsonNode> rules = alertRules();

		assertThat(rules).isNotEmpty().allSatisfy((rule) -> {
			assertThat(rule.path("alert").asString()).isNotBlank();
			assertThat(rule.path("expr").asString()).isNotBlank();
			assertThat(rule.path("for").asString()).matches("\\d+[smh]");
			assertThat(rule.path("labels").path("severity").asString()).isIn("critical", "warning");
			assertThat(rule.path("annotations").path("summary").asString()).isNotBlank();
			assertThat(rule.path("annotations").path("description").asString()).isNotBlank();
		});
		assertThat(rules.stream().map((rule) -> rule.path("alert").asString())).doesNotHaveDuplicates();
	}

	@Test
	void theDataAgeAlertFiresPastTheStalenessBoundOfHealthAndEndpoints() throws IOException {
		JsonNode stale = alertRules().stream()
			.filter((rule) -> "KamailioDataStale".equals(rule.path("alert").asString()))
			.findFirst()
			.orElseThrow();

		assertThat(stale.path("expr").asString()).as("signaling.kamailio.max-staleness, by default")
			.containsPattern("signaling_kamailio_state_age_seconds > " + kamailio.maxStaleness().toSeconds()
					+ "(?![\\d.])");
	}

	@Test
	void namesAreWhatIsLeftOfAnExpressionWithoutItsFunctionsLabelsRangesAndNumbers() {
		String expression = "sum by (outcome, instance) (rate(signaling_made_up_total{outcome=\"a}b\", "
				+ "instance=~\"$instance\"}[$__rate_interval])) / ignoring (outcome) group_left "
				+ "max without (node) (other:recorded offset 5m) > bool 1e3 or on() vector(0.5) "
				+ "unless label_replace(third_metric, \"x\", \"$1\", \"y\", \"(.*)\") and Inf < NaN";

		assertThat(metricNames(expression)).containsExactlyInAnyOrder("signaling_made_up_total", "other:recorded",
				"third_metric");
		assertThat(metricNames(variableExpression("label_values(signaling_cluster_leader, instance)")))
			.containsExactly("signaling_cluster_leader");
		assertThatIllegalArgumentException().isThrownBy(() -> metricNames("rat(signaling_calls_active[5m])"))
			.withMessageContaining("rat");
	}

	@Test
	void aNameTheScrapeLacksIsReported() {
		Set<String> scraped = seriesNames("""
				# TYPE signaling_calls_active gauge
				signaling_calls_active{application="signaling-api"} 0.0
				http_server_requests_seconds_count{status="200"} 2
				""");

		assertThat(scraped).containsExactlyInAnyOrder("signaling_calls_active", "http_server_requests_seconds_count");
		assertThat(metricNames("signaling_calls_active + sum(rate(http_server_requests_seconds_bucket[5m]))"))
			.filteredOn((name) -> !scraped.contains(name))
			.containsExactly("http_server_requests_seconds_bucket");
	}

	private String scrape() throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
					.header("Authorization", "Bearer " + TestCredentials.SCRAPER_KEY)
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/** Series names of a scrape in Prometheus' text format: {@code x_count}, {@code x_total}, ... as exposed. */
	static Set<String> seriesNames(String scrape) {
		Set<String> names = new TreeSet<>();
		scrape.lines().filter((line) -> !line.isBlank() && !line.startsWith("#")).forEach((line) -> {
			Matcher name = SERIES.matcher(line);
			if (name.find()) {
				names.add(name.group());
			}
		});
		return names;
	}

	/**
	 * The metric names an expression names.
	 * @throws IllegalArgumentException for a call of something PromQL does not have (a typo Prometheus would refuse)
	 */
	static Set<String> metricNames(String expression) {
		String bare = STRING.matcher(expression).replaceAll(" ");
		bare = MATCHERS_AND_RANGES.matcher(bare).replaceAll(" ");
		bare = LABEL_LISTS.matcher(bare).replaceAll(" ");
		bare = MODIFIERS.matcher(bare).replaceAll(" ");
		Set<String> names = new TreeSet<>();
		Matcher name = NAME.matcher(bare);
		while (name.find()) {
			String word = name.group(1);
			if (name.group(2) != null) {
				if (!FUNCTIONS.contains(word)) {
					throw new IllegalArgumentException("Not a PromQL function: " + word + " in " + expression);
				}
			}
			else if (!KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
				names.add(word);
			}
		}
		return names;
	}

	/** The PromQL inside a Grafana variable's query ({@code label_values(expr, label)}). */
	static String variableExpression(String query) {
		Matcher labelValues = LABEL_VALUES.matcher(query.strip());
		return labelValues.matches() ? labelValues.group(1) : query;
	}

	private static List<String> dashboardExpressions() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
		List<JsonNode> panels = new ArrayList<>();
		collectPanels(dashboard, panels);
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : panels) {
			panel.path("targets").valueStream().forEach((target) -> expressions.add(target.path("expr").asString()));
		}
		dashboard.path("templating").path("list").valueStream().forEach((variable) -> {
			if ("query".equals(variable.path("type").asString())) {
				JsonNode query = variable.path("query");
				expressions.add(variableExpression(query.isObject() ? query.path("query").asString()
						: query.asString()));
			}
		});
		return expressions;
	}

	/** The panels of a dashboard, those inside rows (collapsed ones keep theirs) too. */
	private static void collectPanels(JsonNode node, List<JsonNode> panels) {
		node.path("panels").valueStream().forEach((panel) -> {
			panels.add(panel);
			collectPanels(panel, panels);
		});
	}

	private static List<String> alertExpressions() throws IOException {
		return alertRules().stream().map((rule) -> rule.path("expr").asString()).toList();
	}

	private static List<JsonNode> alertRules() throws IOException {
		JsonNode rules = new YAMLMapper().readTree(ALERTS.toFile());
		List<JsonNode> all = new ArrayList<>();
		rules.path("groups").valueStream().forEach((group) -> group.path("rules").valueStream().forEach(all::add));
		return all;
	}

}
