using System.Text;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Endpoints;

public static class RevenueEndpoints
{
    public static void MapRevenueEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/citizens/{id:guid}/taxes", async (Guid id, DateOnly? asOf, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetTaxBalance(id, asOf), ct)))
            .Produces<TaxBalance>().WithTags("Revenue").AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        api.MapGet("/citizens/{id:guid}/fines", async (Guid id, DateOnly? asOf, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetUnpaidFines(id, asOf), ct)))
            .Produces<UnpaidFines>().WithTags("Revenue").AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        // The revenue system's CSV export, as the body (Content-Type: text/csv) or as a file in a multipart form.
        api.MapPost("/revenue/imports", async (HttpContext http, IMediator mediator, IOptions<RevenueOptions> options, CancellationToken ct) =>
        {
            var limit = options.Value.MaxImportBytes;
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit + 64 * 1024; // room for the multipart envelope; the file itself is checked below
            var upload = await ReadUploadAsync(http.Request, limit, ct);
            if (upload.Problem is not null) return upload.Problem;
            var report = await mediator.Send(new ImportRevenueLedger(upload.Text, upload.Name), ct);
            return Results.Ok(report);
        }).Produces<RevenueImportReport>().WithTags("Revenue").AllowRoles(StaffRole.Admin);
    }

    private sealed record Upload(string? Text, string? Name, IResult? Problem);

    private static IResult TooLarge(long limit) => Results.Problem(statusCode: 413, title: "File too large",
        detail: $"The file is larger than the {limit / (1024 * 1024)} MB allowed for an upload. Split the export, or import it with the import-revenue command.");

    private static async Task<Upload> ReadUploadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit + 64 * 1024) return new Upload(null, null, TooLarge(limit));
        byte[] bytes;
        string name = "upload";
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                // The section limit sits at Kestrel's body limit, so a too-large body is Kestrel's 413 and whatever
                // else the form reader throws is a body that does not match its multipart header.
                form = await new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = limit + 64 * 1024 }).ReadFormAsync(ct);
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == 413)
            {
                return new Upload(null, null, TooLarge(limit));
            }
            catch (Exception malformed) when (malformed is InvalidDataException or IOException or BadHttpRequestException)
            {
                return new Upload(null, null, Results.Problem(statusCode: 400, title: "The form could not be read",
                    detail: "The body is not the multipart form its Content-Type announces. Send the CSV export as the form field 'file' " +
                            "(curl -F file=@export.csv), or as the body with 'Content-Type: text/csv' (curl --data-binary @export.csv)."));
            }
            var file = form.Files.GetFile("file");
            if (file is null)
                return new Upload(null, null, Results.Problem(statusCode: 400, title: "No file",
                    detail: "The form has no field 'file': send the CSV export as the form field 'file' (curl -F file=@export.csv)."));
            if (file.Length > limit) return new Upload(null, null, TooLarge(limit));
            name = Path.GetFileName(file.FileName);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            bytes = buffer.ToArray();
        }
        else
        {
            var type = request.ContentType ?? "";
            if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
                return new Upload(null, null, Results.Problem(statusCode: 415, title: "Send a CSV file",
                    detail: "Send the export with 'Content-Type: text/csv' (curl --data-binary @export.csv), or as a multipart form field 'file'."));
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limit) return new Upload(null, null, TooLarge(limit));
                buffer.Write(chunk, 0, read);
            }
            bytes = buffer.ToArray();
        }
        try
        {
            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
            return new Upload(text, name, null);
        }
        catch (DecoderFallbackException)
        {
            return new Upload(null, null, Results.Problem(statusCode: 400, title: "The file is not UTF-8",
                detail: "The export must be saved as UTF-8 text (names carry diacritics such as ș, ț, ő)."));
        }
    }
}
