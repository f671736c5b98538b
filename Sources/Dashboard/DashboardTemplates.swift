import Foundation
import Mustache

/// The Mustache templates in `Templates/` (copied into the module's resource bundle). Every page
/// renders into `layout`; values are inserted with `{{ }}`, which HTML-escapes them. The only
/// `{{{ }}}` insertions are the layout's page body and the charts, both built by this module.
struct DashboardTemplates: Sendable {
    let library: MustacheLibrary

    static func load() async throws(DashboardError) -> DashboardTemplates {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw DashboardError("the dashboard's templates are missing from the installed bundle (mamori_Dashboard.resources/Templates); reinstall mamori")
        }
        do {
            let library = try await MustacheLibrary(directory: directory.path)
            for name in ["layout", "error"] + Route.templates where library.getTemplate(named: name) == nil {
                throw DashboardError("the dashboard template \(name).mustache is missing from \(directory.path); reinstall mamori")
            }
            return DashboardTemplates(library: library)
        } catch let error as DashboardError {
            throw error
        } catch {
            throw DashboardError("the dashboard templates in \(directory.path) cannot be parsed: \(error)")
        }
    }

    struct LayoutView {
        var title: String
        var content: String
    }

    struct ErrorView {
        var status: Int
        var title: String
        var message: String
    }

    /// The full HTML document of a page.
    func render(_ page: Page) -> String {
        guard let content = library.render(page.view, withTemplate: page.template) else {
            return render(error: PageError(.internalError, "The page template \(page.template) is missing."))
        }
        return library.render(LayoutView(title: page.title, content: content), withTemplate: "layout") ?? content
    }

    func render(error: PageError) -> String {
        let view = ErrorView(status: error.status.rawValue, title: error.status.title, message: error.message)
        let content = library.render(view, withTemplate: "error") ?? ""
        return library.render(LayoutView(title: error.status.title, content: content), withTemplate: "layout") ?? content
    }
}

extension Route {
    /// The page templates the routes use (checked at start-up, so a broken install fails early).
    static let templates = ["scans", "scan", "findings", "finding", "diff", "metrics", "hunts", "hunt"]
}

/// Why the dashboard cannot start, with what to do about it.
public struct DashboardError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
