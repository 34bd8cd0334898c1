import ArgumentParser
import Fluent
import Foundation
import OporaData
import OporaDomain
import OporaWeb

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Пользователи: добавить, сменить пароль, отключить, API-токены.",
        subcommands: [
            Add.self, Password.self, Deactivate.self, Activate.self, Token.self, Tokens.self,
            Revoke.self, List.self, Email.self,
        ])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Добавить пользователя.")

        @Option(help: "Логин") var login: String
        @Option(help: "ФИО") var name: String
        @Option(help: "Роль: \(Role.allCases.map(\.rawValue).joined(separator: ", "))") var role: String
        @Option(help: "Регион (наименование) — для регионального аналитика или наблюдателя") var region: String?
        @Option(help: "Муниципалитет (наименование)") var municipality: String?
        @Option(name: .customLong("school"), help: "Код школы (можно несколько раз)") var schools: [String] = []
        @Option(help: "Пароль; без него читается из OPORA_PASSWORD или запрашивается") var password: String?
        @Option(help: "Электронная почта для уведомлений") var email: String?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("роль «\(role)» неизвестна; допустимы: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let secret = try password ?? ProcessInfo.processInfo.environment["OPORA_PASSWORD"] ?? PasswordPrompt.read()
            let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
            defer { Task { await store.close() } }
            do {
                var regionID: Int? = nil, municipalityID: Int? = nil
                if let region {
                    guard let found = try await RegionModel.query(on: store.db).filter(\.$name == region).first() else {
                        throw InputError("Регион «\(region)» не найден")
                    }
                    regionID = found.id
                }
                if let municipality {
                    var query = MunicipalityModel.query(on: store.db).filter(\.$name == municipality)
                    if let regionID { query = query.filter(\.$region.$id == regionID) }
                    let found = try await query.all()
                    guard found.count == 1 else {
                        throw InputError(
                            found.isEmpty
                                ? "Муниципалитет «\(municipality)» не найден"
                                : "Муниципалитет «\(municipality)» есть в нескольких регионах — укажите --region")
                    }
                    municipalityID = found[0].id
                    regionID = nil
                }
                var schoolIDs: [Int] = []
                for code in schools {
                    guard let school = try await SchoolModel.query(on: store.db).filter(\.$code == code).first() else {
                        throw InputError("Школа с кодом «\(code)» не найдена")
                    }
                    schoolIDs.append(school.id!)
                }
                let user = try await AccountService.createUser(
                    .init(login: login, fullName: name, password: secret, role: Role(rawValue: role)!, regionID: regionID,
                          municipalityID: municipalityID, schoolIDs: schoolIDs, email: email), by: .commandLine, on: store.db)
                print("Пользователь \(user.login) добавлен (\(Role(rawValue: role)!.russianName)).")
                await store.close()
            } catch let error as RepositoryError {
                await store.close()
                throw InputError(error.description)
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "password", abstract: "Сменить пароль пользователя.")
        @Argument(help: "Логин") var login: String
        @Option(help: "Новый пароль; без него читается из OPORA_PASSWORD или запрашивается") var password: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let secret = try password ?? ProcessInfo.processInfo.environment["OPORA_PASSWORD"] ?? PasswordPrompt.read()
            let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
            do {
                try await AccountService.setPassword(login: login, password: secret, by: .commandLine, on: store.db)
                await store.close()
                print("Пароль изменён.")
            } catch let error as RepositoryError {
                await store.close()
                throw InputError(error.description)
            }
        }
    }

    struct Email: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "email",
            abstract: "Задать электронную почту для уведомлений (пустая строка — убрать).")
        @Argument(help: "Логин") var login: String
        @Argument(help: "Адрес, например director@school.ru") var address: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withStore(database) { db in
                guard let user = try await UserModel.query(on: db).filter(\.$login == login.lowercased()).first() else {
                    throw InputError("Пользователь «\(login)» не найден")
                }
                do {
                    try await MailPreferences(db: db).setAddress(userID: user.id!, address, actor: .commandLine)
                } catch let error as RepositoryError {
                    throw InputError(error.description)
                }
                print(address.isEmpty ? "Адрес пользователя \(login) убран." : "Адрес пользователя \(login): \(address.lowercased())")
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deactivate",
            abstract: "Отключить пользователя: его сеансы завершаются, API-токены перестают действовать.")
        @Argument(help: "Логин") var login: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withStore(database) { db in
                try await AccountService.setActive(login: login, active: false, by: .commandLine, on: db)
                print("Пользователь \(login) отключён.")
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "activate", abstract: "Снова разрешить пользователю вход.")
        @Argument(help: "Логин") var login: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withStore(database) { db in
                try await AccountService.setActive(login: login, active: true, by: .commandLine, on: db)
                print("Пользователь \(login) снова может входить.")
            }
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tokens", abstract: "API-токены пользователя: номер, назначение, когда выдан и использован.")
        @Argument(help: "Логин") var login: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withStore(database) { db in
                let tokens = try await AccountService.tokens(ofLogin: login, on: db)
                if tokens.isEmpty { print("У пользователя \(login) нет API-токенов.") }
                for token in tokens {
                    let created = token.createdAt.map(RussianFormat.dateTime) ?? "—"
                    let used = token.lastUsedAt.map(RussianFormat.dateTime) ?? "не использовался"
                    print("\(token.id!)\t\(token.name)\tвыдан \(created)\t\(used)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Отозвать API-токен пользователя (номер — из opora user tokens).")
        @Argument(help: "Логин") var login: String
        @Argument(help: "Номер токена") var token: Int
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await withStore(database) { db in
                try await AccountService.revokeToken(id: token, ofLogin: login, by: .commandLine, on: db)
                print("Токен \(token) пользователя \(login) отозван.")
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "token", abstract: "Выдать API-токен (Authorization: Bearer …).")
        @Argument(help: "Логин") var login: String
        @Option(help: "Назначение токена") var name = "API"
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
            do {
                let token = try await AccountService.issueToken(forLogin: login, name: name, by: .commandLine, on: store.db)
                await store.close()
                print(token)
                FileHandle.standardError.write(Data("Токен показан один раз; сохраните его. В базе хранится только его хеш.\n".utf8))
            } catch let error as RepositoryError {
                await store.close()
                throw InputError(error.description)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Список пользователей.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await OporaStore.open(try database.target(), migrations: OporaMigrations.all)
            for user in try await UserModel.query(on: store.db).sort(\.$login).all() {
                let (_, label) = try await AccountService.scope(of: user, on: store.db)
                print("\(user.login)\t\(user.roleValue.rawValue)\t\(label)\t\(user.fullName)")
            }
            await store.close()
        }
    }
}

/// Opens the database, runs `body`, closes it; a refusal of the repository becomes a one-line error (exit 1).
func withStore(_ options: DatabaseOptions, _ body: (any Database) async throws -> Void) async throws {
    let store = try await OporaStore.open(try options.target(), migrations: OporaMigrations.all)
    do {
        try await body(store.db)
        await store.close()
    } catch let error as RepositoryError {
        await store.close()
        throw InputError(error.description)
    } catch {
        await store.close()
        throw error
    }
}

enum PasswordPrompt {
    static func read() throws -> String {
        guard isatty(STDIN_FILENO) != 0 else {
            throw ValidationError("укажите пароль: --password, переменная OPORA_PASSWORD или ввод в терминале")
        }
        guard let first = getpass("Пароль: ").map({ String(cString: $0) }),
              let second = getpass("Повторите пароль: ").map({ String(cString: $0) }) else { throw InputError("Пароль не введён") }
        guard first == second else { throw InputError("Пароли не совпадают") }
        return first
    }
}
