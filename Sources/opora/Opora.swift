import ArgumentParser
import Foundation
import OporaData
import OporaDomain

/// `opora`: the command line of CONTRACT.md. Exit status: 0 success, 1 bad input, 2 bad usage.
struct Opora: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opora",
        abstract: "Опора — информационная система поддержки школ с низкими образовательными результатами.",
        discussion: "Глобальный параметр --db ПУТЬ|postgres://… (или переменная OPORA_DATABASE_URL); по умолчанию opora.sqlite.",
        subcommands: [ImportCommand.self, StatsCommand.self, IdentifyCommand.self, TypologyCommand.self, ServeCommand.self,
                      DemoCommand.self, UserCommand.self, CriteriaCommand.self, GenerateCommand.self, DirectionsCommand.self,
                      RoadmapCommand.self, ScoreCommand.self, ReportCommand.self, ListCommand.self, EffectCommand.self,
                      CheckCommand.self, BackupCommand.self, RestoreCommand.self,
                      QuestionnaireCommand.self]
    )
}

/// Options every database command shares. `--db` may also stand before the subcommand (see `main`).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "Файл SQLite или адрес postgres://… (по умолчанию OPORA_DATABASE_URL или opora.sqlite)")
    var db: String?

    func target() throws -> DatabaseTarget {
        try DatabaseTarget.resolve(argument: db ?? GlobalArguments.database)
    }
}

enum GlobalArguments {
    /// `--db` given before the subcommand name.
    nonisolated(unsafe) static var database: String?

    /// Takes `--db VALUE` / `--db=VALUE` that precede the subcommand out of the argument list.
    static func extractLeadingDatabase(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        var seenSubcommand = false
        while index < arguments.count {
            let argument = arguments[index]
            if !seenSubcommand && argument == "--db", index + 1 < arguments.count {
                database = arguments[index + 1]
                index += 2
                continue
            }
            if !seenSubcommand && argument.hasPrefix("--db=") {
                database = String(argument.dropFirst(5))
                index += 1
                continue
            }
            if !argument.hasPrefix("-") { seenSubcommand = true }
            result.append(argument)
            index += 1
        }
        return result
    }
}

/// Numbers given on the command line are checked against the same ranges as files and forms (exit status 2).
enum Ranges {
    static func check(_ value: Int, _ range: ClosedRange<Int>, _ option: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option): ожидается число от \(range.lowerBound) до \(range.upperBound), а не \(value)")
        }
    }
}

/// A failure caused by the user's input: printed without a stack, exit status 1.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@main
enum Main {
    static func main() async {
        let arguments = GlobalArguments.extractLeadingDatabase(Array(CommandLine.arguments.dropFirst()))
        let command: any ParsableCommand
        do {
            command = try Opora.parseAsRoot(arguments)
        } catch {
            let code = Opora.exitCode(for: error)
            if code == .success {
                print(Opora.fullMessage(for: error))
                exit(0)
            }
            FileHandle.standardError.write(Data((Opora.fullMessage(for: error) + "\n").utf8))
            exit(2)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            exit(0)
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data(("Ошибка: \(error.message)\n").utf8))
            exit(2)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as InputError {
            fail(error.description)
        } catch {
            // Parser outcomes surfacing at run time (e.g. `--help` on a command group) keep ArgumentParser's meaning.
            switch Opora.exitCode(for: error) {
            case .success:
                print(Opora.fullMessage(for: error))
                exit(0)
            case .validationFailure:
                FileHandle.standardError.write(Data((Opora.fullMessage(for: error) + "\n").utf8))
                exit(2)
            default:
                fail("\(error)")
            }
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
