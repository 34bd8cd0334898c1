import Fluent
import OporaWeb

/// The command line migrates the same schema as the server, sessions table included,
/// so that a database touched first by any command is ready for `serve`.
enum CLIMigrations {
    static var all: [any Migration] { allMigrations() }
}
