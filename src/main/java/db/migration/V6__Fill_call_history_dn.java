package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fills {@code call_history_dn} (V5) from the calls recorded before it existed: their {@code dns} column holds the
 * DNs comma-joined between commas ({@code ",5001,5002,"}). Java rather than SQL because splitting a string into
 * rows has no syntax that H2 and PostgreSQL share. Reads the history as a stream and inserts in JDBC batches, so a
 * large history neither fills the memory nor makes one round trip per DN.
 */
public class V6__Fill_call_history_dn extends BaseJavaMigration {

	/**
	 * The width of {@code call_history_dn.dn}, that of a DN: a longer value can never be named by a filter, so it is
	 * left out rather than failing the migration (and the start-up) on a row written before values were bounded.
	 * Kept here, not taken from the application, so that this migration does the same thing whatever the code becomes.
	 */
	private static final int MAX_DN_LENGTH = 64;

	private static final int BATCH = 1000;

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		try (Statement select = connection.createStatement();
				PreparedStatement insert = connection
					.prepareStatement("insert into call_history_dn (history_id, dn) values (?, ?)")) {
			// With auto-commit off (Flyway's transaction), PostgreSQL's driver then reads through a cursor.
			select.setFetchSize(BATCH);
			try (ResultSet rows = select.executeQuery("select id, dns from call_history")) {
				int pending = 0;
				while (rows.next()) {
					long historyId = rows.getLong(1);
					for (String dn : dnsOf(rows.getString(2))) {
						insert.setLong(1, historyId);
						insert.setString(2, dn);
						insert.addBatch();
						if (++pending == BATCH) {
							insert.executeBatch();
							pending = 0;
						}
					}
				}
				if (pending > 0) {
					insert.executeBatch();
				}
			}
		}
	}

	private static Set<String> dnsOf(String joined) {
		Set<String> dns = new LinkedHashSet<>();
		for (String dn : joined.split(",")) {
			if (!dn.isEmpty() && dn.length() <= MAX_DN_LENGTH) {
				dns.add(dn);
			}
		}
		return dns;
	}

}
