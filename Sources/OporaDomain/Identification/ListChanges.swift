/// Who entered, stayed in and left a list between two years (or between the approved list and a what-if).
public struct ListChanges: Sendable, Hashable {
    public var entered: [String]
    public var stayed: [String]
    public var left: [String]

    public init(entered: [String], stayed: [String], left: [String]) {
        self.entered = entered
        self.stayed = stayed
        self.left = left
    }

    /// `previous` and `current` map school codes to their status; `.none` means "not on the list".
    public static func compare(previous: [String: IdentificationStatus], current: [String: IdentificationStatus]) -> ListChanges {
        let before = Set(previous.filter { $0.value != .none }.keys)
        let now = Set(current.filter { $0.value != .none }.keys)
        return ListChanges(
            entered: now.subtracting(before).sorted(), stayed: now.intersection(before).sorted(), left: before.subtracting(now).sorted())
    }
}
