/**
 * @generated SignedSource<<ec3581d9fed68505d186bab960d3c495>>
 * @relayHash 3892c188ed2a31c7c2940cc3d2f2add1
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID 63ef0014611788580245d4541e13589b5f52cbbfb6069ca9dc7ca55f76630971

import { ConcreteRequest } from 'relay-runtime';
export type ExportFormat = "CSV" | "JSON" | "XLSX" | "%future added value";
export type ReportInclusion = "APPROVED" | "SUBMITTED" | "%future added value";
export type Units = "AS_OF" | "CURRENT" | "%future added value";
export type UserErrorCode = "CLOSED" | "COMPUTED_INDICATOR" | "CONFLICT" | "DONE_NEEDS_100" | "DUPLICATE" | "FORBIDDEN" | "FOREIGN_AGENCY" | "FORMULA" | "FROZEN" | "INACTIVE" | "INVALID_CHARACTERS" | "INVALID_CODE" | "INVALID_COUNTRY" | "INVALID_CREDENTIALS" | "INVALID_DATE" | "INVALID_FILE" | "INVALID_ID" | "INVALID_RANGE" | "INVALID_TRANSITION" | "INVALID_URL" | "INVALID_USERNAME" | "IN_THE_PAST" | "LOCKED" | "MISMATCH" | "NOT_A_NUMBER" | "NOT_A_TEMPLATE" | "NOT_FOUND" | "NOT_ISSUED" | "NOT_OWN_PLAN" | "NOT_SUBORDINATE" | "NOT_UPPER_PLAN" | "NOT_UPPER_TASK" | "NO_TASKS" | "OUT_OF_RANGE" | "REQUIRED" | "SUBMITTED" | "TOO_LONG" | "TOO_MANY" | "TOO_MANY_ATTEMPTS" | "TOO_SHORT" | "UNKNOWN_DEFINITION" | "UNKNOWN_INDICATOR" | "%future added value";
export type CreateExportInput = {
  definition: string;
  format: ExportFormat;
  include?: ReportInclusion;
  period: string;
  scopeCommitteeId: string;
  suppressBelow?: number | null | undefined;
  units?: Units;
};
export type dashboardCreateExportMutation$variables = {
  input: CreateExportInput;
};
export type dashboardCreateExportMutation$data = {
  readonly createExport: {
    readonly export: {
      readonly contentType: string;
      readonly fileName: string;
      readonly size: number;
      readonly url: string;
    } | null | undefined;
    readonly userErrors: ReadonlyArray<{
      readonly code: UserErrorCode;
      readonly field: ReadonlyArray<string>;
      readonly message: string;
    }>;
  };
};
export type dashboardCreateExportMutation = {
  response: dashboardCreateExportMutation$data;
  variables: dashboardCreateExportMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "input"
  }
],
v1 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "input",
        "variableName": "input"
      }
    ],
    "concreteType": "CreateExportPayload",
    "kind": "LinkedField",
    "name": "createExport",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Export",
        "kind": "LinkedField",
        "name": "export",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "url",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "fileName",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "contentType",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "size",
            "storageKey": null
          }
        ],
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "concreteType": "UserError",
        "kind": "LinkedField",
        "name": "userErrors",
        "plural": true,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "code",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "field",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "message",
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ],
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "dashboardCreateExportMutation",
    "selections": (v1/*: any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Operation",
    "name": "dashboardCreateExportMutation",
    "selections": (v1/*: any*/)
  },
  "params": {
    "id": "63ef0014611788580245d4541e13589b5f52cbbfb6069ca9dc7ca55f76630971",
    "metadata": {},
    "name": "dashboardCreateExportMutation",
    "operationKind": "mutation",
    "text": null
  }
};
})();

(node as any).hash = "935a95aa30b461033edf1e602e47e4f0";

export default node;
