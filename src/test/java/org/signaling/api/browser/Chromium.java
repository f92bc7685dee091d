package org.signaling.api.browser;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.signaling.api.testsupport.KamailioProcess;

import static org.awaitility.Awaitility.await;

/**
 * One headless Chromium from the Debian packages ({@code chromium}, {@code chromium-driver}), driven by its own
 * ChromeDriver, holding one page. Nothing is downloaded: the driver and the browser are given by path, so Selenium
 * Manager is never asked for either.
 *
 * <p>Launched for WebRTC tests on loopback: the fake microphone and camera with no permission prompt, loopback ICE
 * candidates allowed (in a network namespace that holds only {@code lo} they are the only ones, see
 * {@link LoopbackNamespace}), background networking off, the service's self-signed certificate accepted. Profile,
 * {@code TMPDIR}, {@code HOME} and the XDG directories of the browser are under {@code target/browser/NAME-N}, so
 * nothing lands in {@code /tmp} or the user's home; the ChromeDriver log is kept there, and copied to
 * {@link #ARTIFACTS} when the browser closes.
 *
 * <p>Every page gets {@code browser/instrumentation.js} before its own scripts: console output, uncaught errors,
 * clicks, every change of a {@code data-state}/{@code data-status} attribute and every ICE candidate of its peer
 * connections, each with {@code Date.now()} (the host's clock, the same as the JVM's), for failure messages, for
 * timings and for the loopback check.
 *
 * <p>{@link #close()} quits the browser and then kills, by process id, whatever is left of it (processes whose
 * command line names this browser's profile directory); a shutdown hook does the same for browsers a test did not
 * close.
 */
public final class Chromium implements AutoCloseable {

	public static final Path BINARY = Path.of("/usr/bin/chromium");

	public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	/** Screenshots and logs a run leaves for inspection (CI keeps them as artifacts). */
	public static final Path ARTIFACTS = KamailioProcess.repoRoot().resolve("target").resolve("browser-artifacts");

	static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(10);

	private static final Path WORK = KamailioProcess.repoRoot().resolve("target").resolve("browser");

	/** sun_path of a Unix socket holds 108 bytes, with the terminating NUL. */
	private static final int MAX_UNIX_SOCKET_PATH = 107;

	/** {@code /org.chromium.Chromium.XXXXXX/SingletonSocket} */
	private static final int SINGLETON_SOCKET_SUFFIX = 45;

	private static final Set<Chromium> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Chromium::close), "chromium-reaper"));
	}

	private final String name;

	private final Path dir;

	private final Path profile;

	private final Path tmp;

	private final ChromeDriverService service;

	private final ChromeDriver driver;

	private boolean open = true;

	private Chromium(String name, Path dir, Path tmp, ChromeDriverService service, ChromeDriver driver) {
		this.name = name;
		this.dir = dir;
		this.tmp = tmp;
		this.profile = dir.resolve("profile");
		this.service = service;
		this.driver = driver;
	}

	/**
	 * Starts a browser; {@code name} ({@code agent-5001}, {@code dashboard}) names its work directory and its
	 * artifacts.
	 */
	public static Chromium launch(String name) {
		return launch(name, true);
	}

	/**
	 * Starts a browser whose user refuses the microphone: every permission prompt is answered "Block", as when an
	 * agent blocks the site's microphone.
	 */
	public static Chromium launchRefusingMicrophone(String name) {
		return launch(name, false);
	}

	private static Chromium launch(String name, boolean microphoneAllowed) {
		if (!name.matches("[a-z0-9-]+")) {
			throw new IllegalArgumentException("name: lower case, digits and '-': " + name);
		}
		for (Path executable : List.of(BINARY, DRIVER)) {
			if (!Files.isExecutable(executable)) {
				throw new IllegalStateException(executable + " not found: apt-get install -y chromium chromium-driver");
			}
		}
		Path dir;
		Path tmp;
		ChromeDriverService service;
		try {
			dir = newWorkDirectory(name);
			tmp = temporaryDirectory(dir);
			for (String sub : List.of("profile", "home", "config", "cache")) {
				Files.createDirectories(dir.resolve(sub));
			}
			service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
				.usingAnyFreePort()
				.withEnvironment(Map.of("TMPDIR", tmp.toString(), "HOME", dir.resolve("home").toString(),
						"XDG_CONFIG_HOME", dir.resolve("config").toString(), "XDG_CACHE_HOME",
						dir.resolve("cache").toString()))
				.withLogFile(dir.resolve("chromedriver.log").toFile())
				.withAppendLog(true)
				.withReadableTimestamp(true)
				.build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeDriver driver;
		try {
			driver = new ChromeDriver(service, options(dir.resolve("profile"), microphoneAllowed));
		}
		catch (WebDriverException ex) {
			service.stop();
			reap(dir.resolve("profile"));
			deleteTree(tmp);
			throw new IllegalStateException("Chromium " + name + " did not start; ChromeDriver log "
					+ dir.resolve("chromedriver.log") + ":\n" + tail(dir.resolve("chromedriver.log"), 30), ex);
		}
		Chromium chromium = new Chromium(name, dir, tmp, service, driver);
		LIVE.add(chromium);
		driver.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
		driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
				Map.of("source", resource("browser/instrumentation.js")));
		return chromium;
	}

	static ChromeOptions options(Path profile) {
		return options(profile, true);
	}

	static ChromeOptions options(Path profile, boolean microphoneAllowed) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BINARY.toFile());
		options.setAcceptInsecureCerts(true);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
				"--user-data-dir=" + profile,
				// media: the fake devices, no prompt, and ICE candidates on loopback (the only ones in the namespace)
				microphoneAllowed ? "--use-fake-ui-for-media-stream" : "--deny-permission-prompts",
				"--use-fake-device-for-media-stream",
				"--allow-loopback-in-peer-connection", "--mute-audio",
				// nothing of Chromium's own talking to the network
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
				"--disable-breakpad", "--no-first-run", "--no-default-browser-check", "--no-pings",
				"--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
						+ "AutofillServerCommunication",
				"--password-store=basic");
		return options;
	}

	public String name() {
		return name;
	}

	public ChromeDriver driver() {
		return driver;
	}

	/** The browser's version, as ChromeDriver reports it. */
	public String version() {
		return driver.getCapabilities().getBrowserVersion();
	}

	public void open(String url) {
		driver.get(url);
	}

	public Object script(String script, Object... args) {
		return driver.executeScript(script, args);
	}

	/**
	 * Points the driver (scripts, element look-ups, page objects) into the frame of the top document that the CSS
	 * selector names, once that frame element is there (bounded); {@link #leaveFrame()} points it back. Works for
	 * cross-origin frames too (ChromeDriver follows them into their own renderer).
	 */
	public void enterFrame(String selector) {
		driver.switchTo().defaultContent();
		driver.switchTo()
			.frame(await(selector + " on " + name)
				.atMost(Page.ELEMENT_BOUND)
				.ignoreExceptions()
				.until(() -> driver.findElement(By.cssSelector(selector)), (element) -> element != null));
	}

	/** Points the driver back at the top document (what it is in after {@link #open}). */
	public void leaveFrame() {
		driver.switchTo().defaultContent();
	}

	/**
	 * Runs an asynchronous script: its last argument is the callback to call with the result (bounded by
	 * {@link #SCRIPT_TIMEOUT}).
	 */
	public Object asyncScript(String script, Object... args) {
		return driver.executeAsyncScript(script, args);
	}

	/**
	 * Saves a screenshot of the whole page (beyond the 1280-pixel-wide window when the page is longer) as
	 * {@code target/browser-artifacts/FILE.png}, replacing an earlier one, and returns its path.
	 */
	@SuppressWarnings("unchecked")
	public Path screenshot(String file) {
		Path target = ARTIFACTS.resolve(file + ".png");
		Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
		Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
		Map<String, Object> viewport = (Map<String, Object>) metrics.get("cssLayoutViewport");
		double width = Math.max(number(content.get("width")), number(viewport.get("clientWidth")));
		double height = Math.max(number(content.get("height")), number(viewport.get("clientHeight")));
		Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip",
						Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
		try {
			Files.createDirectories(ARTIFACTS);
			Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return target;
	}

	private static double number(Object value) {
		return (value instanceof Number number) ? number.doubleValue() : 0;
	}

	/** Accepts a {@code confirm()} or {@code alert()} dialog if the page shows one; true if it did. */
	public boolean acceptDialogIfAny() {
		try {
			driver.switchTo().alert().accept();
			return true;
		}
		catch (NoAlertPresentException ex) {
			return false;
		}
	}

	/** The page's recorded changes of {@code data-state}/{@code data-status} attributes, oldest first. */
	public List<Map<String, Object>> timeline() {
		return recorded("timeline");
	}

	/** The page's recorded clicks, oldest first. */
	public List<Map<String, Object>> clicks() {
		return recorded("clicks");
	}

	/** The page's recorded console output and uncaught errors, oldest first. */
	public List<Map<String, Object>> console() {
		return recorded("console");
	}

	/** The page's uncaught errors and unhandled promise rejections, oldest first. */
	public List<Map<String, Object>> uncaughtErrors() {
		return console().stream()
			.filter((entry) -> List.of("uncaught", "unhandled-rejection").contains(entry.get("level")))
			.toList();
	}

	/**
	 * Every ICE candidate of the page's peer connections, oldest first: gathered ({@code origin} local) or given
	 * by the other side ({@code origin} remote), as {@code candidate:<foundation> <component> <protocol>
	 * <priority> <address> <port> typ <type> ...}.
	 */
	public List<Map<String, Object>> iceCandidates() {
		return recorded("candidates");
	}

	/**
	 * The selected candidate pair of each of the page's open peer connections, from {@code getStats()}:
	 * {@code local} and {@code remote} as {@code address:port/protocol type}, and {@code state}.
	 */
	@SuppressWarnings("unchecked")
	public List<Map<String, Object>> selectedCandidatePairs() {
		return (List<Map<String, Object>>) asyncScript("""
				const done = arguments[arguments.length - 1];
				const open = ((window.__browserTest && window.__browserTest.peerConnections) || [])
					.filter((pc) => pc.connectionState !== 'closed');
				const name = (c) => `${c.address}:${c.port}/${c.protocol} ${c.candidateType}`;
				Promise.all(open.map(async (pc) => {
					const report = await pc.getStats();
					const pairs = [];
					report.forEach((entry) => {
						if (entry.type === 'transport' && entry.selectedCandidatePairId) {
							const pair = report.get(entry.selectedCandidatePairId);
							pairs.push({ state: pair.state, local: name(report.get(pair.localCandidateId)),
								remote: name(report.get(pair.remoteCandidateId)) });
						}
					});
					return pairs;
				})).then((all) => done(all.flat()), (error) => done([{ error: String(error) }]));
				""");
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> recorded(String what) {
		Object list = script("return (window.__browserTest && window.__browserTest[arguments[0]]) || [];", what);
		return (List<Map<String, Object>>) list;
	}

	/**
	 * What a failure message needs from this page: URL, title, the tail of its console and of its attribute
	 * changes; never throws.
	 */
	public String diagnostics() {
		StringBuilder text = new StringBuilder("--- page " + name + " (" + dir + ")\n");
		if (!open) {
			return text.append("(closed)\n").toString();
		}
		try {
			text.append("url: ").append(driver.getCurrentUrl()).append("  title: ").append(driver.getTitle())
				.append('\n');
			text.append("console (last 30):\n");
			tailOf(console(), 30).forEach((entry) -> text.append("  ").append(entry).append('\n'));
			text.append("attribute changes (last 30):\n");
			tailOf(timeline(), 30).forEach((entry) -> text.append("  ").append(entry).append('\n'));
		}
		catch (RuntimeException ex) {
			text.append("(page not readable: ").append(ex.getMessage().lines().findFirst().orElse("")).append(")\n");
		}
		return text.toString();
	}

	/**
	 * Closes the page the way a user closes a tab ({@code pagehide} and {@code unload} run), which ends this
	 * browser; then quits and reaps it.
	 */
	public void closePage() {
		if (open) {
			try {
				driver.close();
			}
			catch (WebDriverException ex) {
				// the last window closing ends the session; quit below cleans up either way
			}
		}
		close();
	}

	/**
	 * Kills the browser's processes (SIGKILL, by process id) as a crash or a power cut would: no {@code pagehide},
	 * no goodbye on its connections beyond what the kernel does. Then cleans up the driver.
	 */
	public void crash() {
		List<ProcessHandle> processes = processesOf(profile);
		if (processes.isEmpty()) {
			throw new IllegalStateException("no process of " + name + " found");
		}
		processes.forEach(ProcessHandle::destroyForcibly);
		close();
	}

	/** Quits the browser and its driver, then kills whatever of this browser is still running; idempotent. */
	@Override
	public synchronized void close() {
		if (!LIVE.remove(this)) {
			return;
		}
		open = false;
		try {
			driver.quit();
		}
		catch (WebDriverException ex) {
			// gone already (crash(), closePage()); the service and the processes are handled below
		}
		service.stop();
		reap(profile);
		copyLog();
		deleteTree(profile);
		if (!tmp.startsWith(dir)) {
			deleteTree(tmp);
		}
	}

	/** {@code target/browser/NAME-N}, N the first number not taken (short: see {@link #temporaryDirectory}). */
	private static Path newWorkDirectory(String name) throws IOException {
		Files.createDirectories(WORK);
		for (int n = 1;; n++) {
			try {
				return Files.createDirectory(WORK.resolve(name + "-" + n));
			}
			catch (FileAlreadyExistsException ex) {
				// taken by an earlier browser or run
			}
		}
	}

	/**
	 * The browser's TMPDIR: {@code DIR/tmp}, unless that path is too long for the Unix socket Chromium creates in
	 * it ({@code TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket} must fit in 107 bytes, or Chromium stops
	 * with "Socket path too long"), as under a deep checkout; then a private directory under
	 * {@code java.io.tmpdir} that {@link #close()} deletes.
	 */
	private static Path temporaryDirectory(Path dir) throws IOException {
		Path tmp = dir.resolve("tmp");
		if (tmp.toString().getBytes(StandardCharsets.UTF_8).length + SINGLETON_SOCKET_SUFFIX <= MAX_UNIX_SOCKET_PATH) {
			return Files.createDirectories(tmp);
		}
		return Files.createTempDirectory("chromium-");
	}

	/** Processes still running that belong to this browser (none once {@link #close()} has returned). */
	public List<ProcessHandle> processes() {
		return processesOf(profile);
	}

	/** The TMPDIR the browser was given. */
	public Path temporaryDirectory() {
		return tmp;
	}

	/** {@code target/browser/NAME-N}: profile, TMPDIR (see {@link #temporaryDirectory}), HOME, XDG directories
	 * and the ChromeDriver log. */
	public Path workDirectory() {
		return dir;
	}

	public boolean isOpen() {
		return open;
	}

	/** Waits (bounded) for this browser's processes to end, then kills the rest by process id. */
	private static void reap(Path profile) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (ProcessHandle process : processesOf(profile)) {
			long left = Math.max(0, deadline - System.nanoTime());
			try {
				process.onExit().get(left, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
			catch (Exception ex) {
				process.destroyForcibly();
			}
		}
	}

	/**
	 * Browser processes are found by their profile directory (on their command line, which the crash handler, a
	 * grandchild that outlives its parent, does not have: it exits by itself once the browser has gone).
	 */
	private static List<ProcessHandle> processesOf(Path profile) {
		String marker = "--user-data-dir=" + profile;
		try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
			return all.filter((process) -> process.info().commandLine().map((line) -> line.contains(marker))
				.orElse(false))
				.toList();
		}
	}

	private void copyLog() {
		Path log = dir.resolve("chromedriver.log");
		try {
			if (Files.exists(log)) {
				Files.createDirectories(ARTIFACTS);
				Files.copy(log, ARTIFACTS.resolve(name + "-chromedriver.log"), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			// the log stays in the work directory
		}
	}

	private static void deleteTree(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException | UncheckedIOException ex) {
			// left under target/ for the next clean
		}
	}

	static String resource(String name) {
		try (InputStream in = Chromium.class.getClassLoader().getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("test resource missing: " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static <T> List<T> tailOf(List<T> list, int count) {
		return new ArrayList<>(list.subList(Math.max(0, list.size() - count), list.size()));
	}

	private static String tail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
			return String.join("\n", tailOf(all, lines));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(cannot read " + file + ": " + ex + ")";
		}
	}

	@Override
	public String toString() {
		return "Chromium[" + name + ", " + dir + "]";
	}

}
