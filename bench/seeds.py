"""The seeds' pipelines the seeds' way: CPython generators and the csv module, one record at a time.

Usage: python3 seeds.py A|B IN.csv OUT.csv
"""
import csv
import sys
from datetime import datetime


def read_rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        yield from csv.DictReader(f)


def nj_ford_police(rows):
    for r in rows:
        if r['Registration State'] == 'NJ' and r['Vehicle Make'] == 'FORD' and r['Issuing Agency'] == 'P':
            yield [r['Vehicle Make'], 'police',
                   ', '.join([r['House Number'], r['Street Name'], r['Registration State']])]


def days_to_expiration(row):
    try:
        issued = datetime.strptime(row['Issue Date'][:10], '%Y-%m-%d')
        expires = datetime.strptime(str(int(float(row['Vehicle Expiration Date']))), '%Y%m%d')
        return (expires - issued).days
    except (ValueError, TypeError, OverflowError):
        return -1


def with_days(rows):
    for r in rows:
        yield list(r.values()) + [days_to_expiration(r)]


def main(pipeline, src, dst):
    with open(src, newline='', encoding='utf-8') as f:
        header = next(csv.reader(f))
    with open(dst, 'w', newline='', encoding='utf-8') as out:
        w = csv.writer(out, lineterminator='\n')
        if pipeline == 'A':
            w.writerow(['vehicle_make', 'issuing_agency', 'address'])
            w.writerows(nj_ford_police(read_rows(src)))
        else:
            w.writerow(header + ['days_to_expiration'])
            w.writerows(with_days(read_rows(src)))


if __name__ == '__main__':
    main(*sys.argv[1:4])
