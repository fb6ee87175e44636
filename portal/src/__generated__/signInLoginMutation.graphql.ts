/**
 * @generated SignedSource<<f85c6e0ae9190bfbb0c649c9c641980d>>
 * @relayHash 07e09c8e773da06bcd639176811a6d4a
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID aad57de3d646092e6e1b861ac36b5716a34147d4adb14451b917a2789bb37f87

import { ConcreteRequest } from 'relay-runtime';
export type Role = "ADMIN" | "COORDINATOR" | "EDITOR" | "VIEWER" | "%future added value";
export type UserErrorCode = "CLOSED" | "COMPUTED_INDICATOR" | "CONFLICT" | "DONE_NEEDS_100" | "DUPLICATE" | "FORBIDDEN" | "FOREIGN_AGENCY" | "FORMULA" | "FROZEN" | "INACTIVE" | "INVALID_CHARACTERS" | "INVALID_CODE" | "INVALID_COUNTRY" | "INVALID_CREDENTIALS" | "INVALID_DATE" | "INVALID_FILE" | "INVALID_ID" | "INVALID_RANGE" | "INVALID_TRANSITION" | "INVALID_URL" | "INVALID_USERNAME" | "IN_THE_PAST" | "LOCKED" | "MISMATCH" | "NOT_A_NUMBER" | "NOT_A_TEMPLATE" | "NOT_FOUND" | "NOT_ISSUED" | "NOT_OWN_PLAN" | "NOT_SUBORDINATE" | "NOT_UPPER_PLAN" | "NOT_UPPER_TASK" | "NO_TASKS" | "OUT_OF_RANGE" | "REQUIRED" | "SUBMITTED" | "TOO_LONG" | "TOO_MANY" | "TOO_MANY_ATTEMPTS" | "TOO_SHORT" | "UNKNOWN_DEFINITION" | "UNKNOWN_INDICATOR" | "%future added value";
export type signInLoginMutation$variables = {
  password: string;
  username: string;
};
export type signInLoginMutation$data = {
  readonly login: {
    readonly accessToken: string | null | undefined;
    readonly account: {
      readonly committee: {
        readonly id: string;
        readonly name: string;
      } | null | undefined;
      readonly displayName: string;
      readonly role: Role;
      readonly username: string;
    } | null | undefined;
    readonly expiresAt: string | null | undefined;
    readonly userErrors: ReadonlyArray<{
      readonly code: UserErrorCode;
      readonly field: ReadonlyArray<string>;
      readonly message: string;
    }>;
  };
};
export type signInLoginMutation = {
  response: signInLoginMutation$data;
  variables: signInLoginMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "password"
},
v1 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "username"
},
v2 = [
  {
    "fields": [
      {
        "kind": "Variable",
        "name": "password",
        "variableName": "password"
      },
      {
        "kind": "Variable",
        "name": "username",
        "variableName": "username"
      }
    ],
    "kind": "ObjectValue",
    "name": "input"
  }
],
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "accessToken",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "expiresAt",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "username",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "displayName",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "role",
  "storageKey": null
},
v8 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v9 = {
  "alias": null,
  "args": null,
  "concreteType": "Committee",
  "kind": "LinkedField",
  "name": "committee",
  "plural": false,
  "selections": [
    (v8/*: any*/),
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "name",
      "storageKey": null
    }
  ],
  "storageKey": null
},
v10 = {
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
};
return {
  "fragment": {
    "argumentDefinitions": [
      (v0/*: any*/),
      (v1/*: any*/)
    ],
    "kind": "Fragment",
    "metadata": null,
    "name": "signInLoginMutation",
    "selections": [
      {
        "alias": null,
        "args": (v2/*: any*/),
        "concreteType": "LoginPayload",
        "kind": "LinkedField",
        "name": "login",
        "plural": false,
        "selections": [
          (v3/*: any*/),
          (v4/*: any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Account",
            "kind": "LinkedField",
            "name": "account",
            "plural": false,
            "selections": [
              (v5/*: any*/),
              (v6/*: any*/),
              (v7/*: any*/),
              (v9/*: any*/)
            ],
            "storageKey": null
          },
          (v10/*: any*/)
        ],
        "storageKey": null
      }
    ],
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [
      (v1/*: any*/),
      (v0/*: any*/)
    ],
    "kind": "Operation",
    "name": "signInLoginMutation",
    "selections": [
      {
        "alias": null,
        "args": (v2/*: any*/),
        "concreteType": "LoginPayload",
        "kind": "LinkedField",
        "name": "login",
        "plural": false,
        "selections": [
          (v3/*: any*/),
          (v4/*: any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Account",
            "kind": "LinkedField",
            "name": "account",
            "plural": false,
            "selections": [
              (v5/*: any*/),
              (v6/*: any*/),
              (v7/*: any*/),
              (v9/*: any*/),
              (v8/*: any*/)
            ],
            "storageKey": null
          },
          (v10/*: any*/)
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "id": "aad57de3d646092e6e1b861ac36b5716a34147d4adb14451b917a2789bb37f87",
    "metadata": {},
    "name": "signInLoginMutation",
    "operationKind": "mutation",
    "text": null
  }
};
})();

(node as any).hash = "ee56cf2ac9862d79565183d95a332ee7";

export default node;
