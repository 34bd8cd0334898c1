import OporaDomain

/// «Анализ результатов ВПР» — the document a school or a municipality writes every spring — laid out from a
/// `VprAnalysis`: the table of planned results, the histogram as a chart, the mark boundaries, the markers of
/// non-objectivity, the deficits by requirement and by block, and the conclusions. Word and Excel get the same figures.
extension ReportBuilder {
    public static func vprAnalysis(_ analysis: VprAnalysis, place: VprAnalysisRepository.Place) -> ReportDocument {
        var document = ReportDocument(title: "Анализ результатов ВПР: \(analysis.placeTitle)",
                                      subtitle: [analysis.year.map { "\($0) год" } ?? "все годы"])
        if analysis.works.isEmpty {
            document.paragraph("Нет результатов ВПР по заданиям\(analysis.year.map { " за \($0) год" } ?? "").")
            return document
        }
        for work in analysis.works {
            document.heading(work.title)
            var participants = "Участников: \(RussianFormat.integer(work.report.participants))."
            if work.report.small {
                participants += " Меньше \(TaskFigures.smallGroup) участников: доли неустойчивы, выводы не делаются."
            }
            document.paragraph(participants)
            document.table(planned(work, place: place))
            if !work.report.histogram.isEmpty { document.blocks.append(.chart(histogram(work, place: place))) }
            if let boundaries = boundaryLine(work) { document.paragraph(boundaries) }
            if work.markers.isEmpty {
                document.paragraph("Признаков необъективности по распределению баллов и выполнению заданий не найдено.")
            } else {
                document.table(ReportTable(title: "Признаки необъективности", header: ["Признак", "Показатели"],
                                           rows: work.markers.map { [.text($0.title), .text($0.detail)] }, widths: [4, 8]))
            }
        }
        document.heading("Дефициты по проверяемым требованиям")
        document.table(deficits(analysis.byRequirement, name: "Проверяемое требование (умение)"))
        document.heading("Дефициты по блокам")
        document.table(deficits(analysis.byBlock, name: "Блок"))
        document.heading("Выводы")
        for line in conclusions(analysis) { document.paragraph(line) }
        return document
    }

    static func planned(_ work: VprAnalysis.Work, place: VprAnalysisRepository.Place) -> ReportTable {
        let municipality = place.hasMunicipalityColumn
        let completion = [place.column] + (municipality ? ["муниципалитет"] : []) + ["регион", "Россия"]
        return ReportTable(
            title: "Достижение планируемых результатов",
            header: ["Задание", "Проверяемое требование (умение)", "Макс. балл"] + completion + ["Дефицит"],
            rows: work.report.tasks.map { line in
                [.text(line.task), .text(line.requirement ?? "—"), .integer(line.maxPoints), .percent(line.percent)]
                    + (municipality ? [.percent(line.municipality)] : [])
                    + [.percent(line.region), .percent(line.russia), .text(line.deficit ? "да" : "")]
            },
            widths: [2, 8, 2] + completion.map { _ in 2 } + [2],
            groups: HeaderGroup.grouping(leading: 3, [("Выполнение, %", completion.count)], trailing: 1))
    }

    static func deficits(_ groups: [DeficitGroup], name: String) -> ReportTable {
        ReportTable(header: [name, "Заданий с дефицитом", "Всего заданий", "Выполнение, %", "Где"],
                    rows: groups.isEmpty ? [[.text("Дефицитов нет"), .text(""), .text(""), .text(""), .text("")]]
                        : groups.map { [.text($0.name), .integer($0.deficitTasks), .integer($0.allTasks), .percent($0.percent),
                                        .text($0.tasks.joined(separator: "; "))] },
                    widths: [6, 2, 2, 2, 6])
    }

    /// The histogram of primary scores: the place's shares beside the region's.
    static func histogram(_ work: VprAnalysis.Work, place: VprAnalysisRepository.Place) -> ReportChart {
        let own = VprAnalysis.Work.shares(work.report.histogram)
        let region = work.regionHistogram.map(VprAnalysis.Work.shares)
        let series = [place.column.capitalizedFirst] + (region == nil ? [] : ["Регион"])
        let groups: [(label: String, values: [Double?])] = own.indices.map { score in
            let values: [Double?] = [own[score]] + (region.map { [$0.indices.contains(score) ? $0[score] : 0] } ?? [])
            return ("\(score) б." + mark(of: score, work.boundaries), values)
        }
        return ReportChart(title: "Распределение первичных баллов, % участников", series: series, groups: groups)
    }

    /// « («4»)» on the first score of each mark, so the chart shows where the scale's boundaries fall.
    static func mark(of score: Int, _ boundaries: [(mark: Int, from: Int)]) -> String {
        boundaries.first { $0.from == score }.map { " («\($0.mark)»)" } ?? ""
    }

    public static func boundaryLine(_ work: VprAnalysis.Work) -> String? {
        guard !work.boundaries.isEmpty else { return nil }
        let parts = work.boundaries.map { "«\($0.mark)» — от \($0.from) \(RussianFormat.plural($0.from, "балла", "баллов", "баллов"))" }
        return "Границы отметок по шкале работы: " + parts.joined(separator: ", ") + "."
    }

    /// Plain sentences from the figures: what is below the threshold, what is below the region, the markers.
    public static func conclusions(_ analysis: VprAnalysis) -> [String] {
        var lines: [String] = []
        for work in analysis.works {
            if work.report.small {
                lines.append("\(work.title): участников меньше \(TaskFigures.smallGroup), выводы по заданиям не делаются.")
                continue
            }
            let deficits = work.deficits
            if deficits.isEmpty {
                lines.append("\(work.title): все задания выполнены не ниже порога освоения.")
            } else {
                let numbers = deficits.map { "№ \($0.task)" }.joined(separator: ", ")
                lines.append("\(work.title): дефициты в заданиях \(numbers) — эти требования включить в план коррекции.")
            }
            let below = work.report.tasks.filter { line in
                guard let percent = line.percent, let region = line.region else { return false }
                return percent <= region - TaskFigures.belowRegion
            }
            if !below.isEmpty {
                lines.append("Ниже региона на \(Int(TaskFigures.belowRegion)) п. п. и более: "
                             + below.map { "№ \($0.task)" }.joined(separator: ", ") + ".")
            }
            if !work.markers.isEmpty {
                lines.append("Признаки необъективности (\(work.markers.count)) — результаты требуют проверки.")
            }
        }
        if let weakest = analysis.byRequirement.first {
            lines.append("Наиболее слабо освоено: «\(weakest.name)» (\(RussianFormat.optionalNumber(weakest.percent)) %).")
        }
        return lines
    }
}
