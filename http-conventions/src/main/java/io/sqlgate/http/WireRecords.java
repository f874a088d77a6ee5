package io.sqlgate.http;

import io.micronaut.serde.annotation.SerdeImport;
import io.sqlgate.hop.wire.AuditPage;
import io.sqlgate.hop.wire.AuditQuery;
import io.sqlgate.hop.wire.ErrorBody;
import io.sqlgate.hop.wire.PopulateResult;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.hop.wire.ReadResult;
import io.sqlgate.hop.wire.WriteResult;

/** The wire records, plain JDK records in the hop module, serialised by Micronaut Serde in every tier. */
@SerdeImport(QueryRequest.class)
@SerdeImport(ReadResult.class)
@SerdeImport(WriteResult.class)
@SerdeImport(PopulateResult.class)
@SerdeImport(ErrorBody.class)
@SerdeImport(AuditQuery.class)
@SerdeImport(AuditPage.class)
@SerdeImport(AuditPage.Entry.class)
final class WireRecords {
    private WireRecords() {
    }
}
